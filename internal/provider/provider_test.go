package provider

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

func TestProvider_badConfigurationSendsNoRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	ds := `data "hwc_ims_images" "x" {}`
	block := func(body string) string { return "provider \"hwc\" {\n" + body + "\n}\n" + ds }
	endpoints := `endpoints = { ims = "` + env.URL + `", workspace = "` + env.URL + `", iam = "` + env.URL + `" }`
	creds := `access_key = "AK"
secret_key = "SK"`
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		body string
		want string
	}{
		{creds + "\n" + endpoints, `Missing Region .* Set region in the provider block or the HW_REGION_NAME environment variable`},
		{"region = \"cn-north-4\"\naccess_key = \"AK\"\n" + endpoints, `Missing Secret Key .* access_key is set, so secret_key is required too`},
		{"region = \"cn-north-4\"\nsecret_key = \"SK\"\n" + endpoints, `Missing Access Key`},
		{"region = \"cn-north-4\"\ntoken = \"T\"\n" + creds + "\n" + endpoints, `Conflicting Credentials .* token and access_key cannot be used together (the provider block sets credentials`},
		{"region = \"cn-north-4\"\n" + endpoints, `Missing Credentials .* No credentials are configured, and the ECS metadata API at http://127.0.0.1`},
		{"region = \"cn-north-4\"\nsecurity_token = \"ST\"\ntoken = \"T\"\n" + endpoints, `Security Token Without Access Key`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { ecs = \"https://ecs.example.com\" }", `Unknown Endpoint Key .* "ecs" is not a service of this provider. The allowed keys are ims, workspace, iam and metadata`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { ims = \"ims.example.com\" }", `Invalid Endpoint URL .* endpoints["ims"]: "ims.example.com" must start with https:// or http://`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { iam = \"https://\" }", `Invalid Endpoint URL .* has no host`},
		{"region = \"cn-north-4\"\n" + creds + "\nmax_retries = -1\n" + endpoints, `Invalid Max Retries .* max_retries (HW_MAX_RETRIES) is "-1"; give a whole number of 0 or more`},
		{"region = \"cn-north-4\"\n" + creds + "\nrequest_timeout = \"soon\"\n" + endpoints, `Invalid Request Timeout .* request_timeout (HW_REQUEST_TIMEOUT) is "soon"; give a positive duration`},
		{"region = \"cn-north-4\"\n" + creds + "\nrequest_timeout = \"0s\"\n" + endpoints, `request_timeout (HW_REQUEST_TIMEOUT) is "0s"; give a positive duration`},
		{"region = \"cn-north-4\"\n" + creds + "\ncacert_file = \"/nonexistent/ca.pem\"\n" + endpoints, `Unreadable CA Bundle`},
		{"region = \"\"\n" + creds + "\n" + endpoints, `Missing Region .* Set region in the provider block or the HW_REGION_NAME environment variable`},
		{"region = \"cn-north-4\"\nproject_id = \"a/b\"\n" + creds + "\n" + endpoints, `Invalid Project ID .* project_id (HW_PROJECT_ID): "a/b" is not a project ID`},
		{"region = \"CN-North-4\"\n" + creds + "\n" + endpoints, `Invalid Region .* "CN-North-4" is not a region name`},
		{"region = \"cn-north-4\"\ncloud = \"localhost:8080\"\n" + creds, `Invalid Cloud .* "localhost:8080" is not a domain name`},
		{"region = \"cn-north-4\"\ninsecure = true\nmax_retries = -1\n" + creds + "\n" + endpoints, `Invalid Max Retries`},
		{"region = \"cn-north-4\"\ncacert_file = \"" + notPEM + "\"\n" + creds + "\n" + endpoints, `Invalid CA Bundle .* holds no PEM certificate`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: block(c.body), ExpectError: providertest.ErrorRE(c.want)})
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	env.ExpectNoRequests(t)
}

func TestProvider_regionWithoutProject(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "hwc" {
  region     = "xx-nowhere-1"
  access_key = "` + emulator.DefaultAccessKey + `"
  secret_key = "` + emulator.DefaultSecretKey + `"
  endpoints  = { ims = "` + env.URL + `", workspace = "` + env.URL + `", iam = "` + env.URL + `" }
}
data "hwc_ims_images" "x" {}`,
			ExpectError: providertest.ErrorRE(`IAM has no project named "xx-nowhere-1" for these credentials. Check region, or set project_id`),
		}},
	})
	if n := env.RequestCount("/cloudimages/fuzzy"); n != 0 {
		t.Errorf("no listing may be sent without a project: %d", n)
	}
}

func TestProvider_tokenAndTemporaryCredentials(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{
		Credentials: []emulator.Credential{{AccessKey: "TEMPAK", SecretKey: "TEMPSK", SecurityToken: "session-token-1"}},
		Tokens:      []string{"token-1"},
		Catalog:     &emulator.Catalog{Images: numberedImages(2)},
	})
	endpoints := `endpoints  = { ims = "` + env.URL + `", workspace = "` + env.URL + `", iam = "` + env.URL + `" }`
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: `provider "hwc" {
  region = "cn-north-4"
  token  = "token-1"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				Check: resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: `provider "hwc" {
  region         = "cn-north-4"
  project_id     = "` + emulator.DefaultProjectID + `"
  access_key     = "TEMPAK"
  secret_key     = "TEMPSK"
  security_token = "session-token-1"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				Check: resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: `provider "hwc" {
  region     = "cn-north-4"
  access_key = "TEMPAK"
  secret_key = "TEMPSK"
  ` + endpoints + `
}
data "hwc_ims_images" "x" {}`,
				ExpectError: providertest.ErrorRE(`HTTP status: 401 .* APIGW.0301 .* the security token is missing or does not match the access key`),
			},
		},
	})
	for _, r := range env.Server.RequestsTo("/cloudimages/fuzzy") {
		if r.Header.Get("X-Security-Token") == "" && r.Header.Get("X-Auth-Token") == "" && r.Status == 200 {
			t.Errorf("a listing succeeded without token or security token")
		}
	}
}

// Settings from the environment are validated like the arguments.
func TestProvider_badEnvironment(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cfg := env.ProviderBlock() + `data "hwc_ims_images" "x" {}`
	for _, c := range []struct{ name, value, want string }{
		{"HW_INSECURE", "maybe", `Invalid Insecure .* insecure (HW_INSECURE) is "maybe"; give true or false`},
		{"HW_MAX_RETRIES", "-2", `Invalid Max Retries .* max_retries (HW_MAX_RETRIES) is "-2"; give a whole number of 0 or more`},
		{"HW_MAX_RETRIES", "many", `max_retries (HW_MAX_RETRIES) is "many"`},
		{"HW_REQUEST_TIMEOUT", "1 minute", `request_timeout (HW_REQUEST_TIMEOUT) is "1 minute"`},
	} {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			t.Setenv(c.name, c.value)
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: cfg, ExpectError: providertest.ErrorRE(c.want)}},
			})
		})
	}
	env.ExpectNoRequests(t)
}

// A provider setting that is not known at plan time is an error naming it.
// timestamp() is unknown until apply in every CLI the provider supports
// (terraform_data would need Terraform 1.4).
func TestProvider_unknownSetting(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "hwc" {
  region     = timestamp() == "" ? "cn-north-4" : "cn-north-4"
  access_key = "AK"
  secret_key = "SK"
  endpoints  = { ims = "` + env.URL + `", workspace = "` + env.URL + `", iam = "` + env.URL + `" }
}
data "hwc_ims_images" "x" {}
`,
			ExpectError: providertest.ErrorRE(`Unknown Provider Setting .* The provider needs region before any data source is read`),
		}},
	})
	env.ExpectNoRequests(t)
}

// An endpoint with a self-signed certificate fails with a message naming
// cacert_file and insecure, and works once cacert_file trusts it.
func TestTLS_selfSignedEndpoint(t *testing.T) {
	providertest.RequireCLI(t)
	t.Parallel()
	emu := emulator.New(emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(2)}})
	srv := httptest.NewTLSServer(emu)
	defer srv.Close()
	env := &testEnv{&providertest.Emulator{Server: emu, URL: srv.URL}}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderBlock() + `data "hwc_ims_images" "x" {}`,
				ExpectError: providertest.ErrorRE(`certificate signed by unknown authority .* The endpoint's TLS certificate is not trusted. .* set cacert_file (HW_CACERT_FILE) to a PEM bundle holding that authority. insecure = true skips verification`),
			},
			{
				Config: env.ProviderBlock(`cacert_file = "`+caFile+`"`) + `data "hwc_ims_images" "x" {}`,
				Check:  resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: env.ProviderBlock(`insecure = true`) + `data "hwc_ims_images" "x" {}`,
				Check:  resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
		},
	})
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatal("the endpoint is not TLS")
	}
}

func warnings(d diag.Diagnostics) string {
	var out []string
	for _, w := range d.Warnings() {
		out = append(out, w.Summary()+": "+w.Detail())
	}
	return strings.Join(out, "\n")
}

func TestTLS_warnings(t *testing.T) {
	t.Parallel()
	base := func() providerModel {
		return providerModel{
			Region: types.StringValue("cn-north-4"), AccessKey: types.StringValue("AK"), SecretKey: types.StringValue("SK"),
			Endpoints: types.MapNull(types.StringType),
		}
	}
	m := base()
	_, d := clientConfig(m, "test", newSettings(nil))
	if d.HasError() || d.WarningsCount() != 0 {
		t.Fatalf("defaults: %v", d)
	}

	m = base()
	m.Insecure = types.BoolValue(true)
	_, d = clientConfig(m, "test", newSettings(nil))
	if !strings.Contains(warnings(d), "TLS Verification Disabled") {
		t.Errorf("insecure = true must warn, got %q", warnings(d))
	}

	for endpoint, warn := range map[string]bool{
		"http://10.1.2.3:8080":      true,
		"http://images.example.com": true,
		"http://127.0.0.1:8787":     false,
		"http://localhost:8787":     false,
		"http://[::1]:8787":         false,
		"https://10.1.2.3":          false,
	} {
		m = base()
		m.Endpoints = types.MapValueMust(types.StringType, map[string]attr.Value{"ims": types.StringValue(endpoint)})
		_, d = clientConfig(m, "test", newSettings(nil))
		if got := strings.Contains(warnings(d), "Credentials Sent Without TLS"); got != warn {
			t.Errorf("%s: warning %v, want %v (%q)", endpoint, got, warn, warnings(d))
		}
	}
}

const (
	leakSecretKey     = "sk-LEAKCHECK-7f3a9c1e5b2d4068a1c3e5f7"
	leakSecurityToken = "st-LEAKCHECK-0b1d3f5a7c9e2460b8d6f4a2"
	leakToken         = "tok-LEAKCHECK-9e8d7c6b5a4f3e2d1c0b9a8f"
)

var leakSecrets = []string{leakSecretKey, leakSecurityToken, leakToken}

func findSecret(text string) string {
	for _, s := range leakSecrets {
		if strings.Contains(text, s) {
			return s
		}
	}
	return ""
}

// noSecretInState fails when a secret appears anywhere in the state.
type noSecretInState struct{}

func (noSecretInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if s := findSecret(string(b)); s != "" {
		resp.Error = fmt.Errorf("the state holds the secret %s", s)
	}
}

// expectErrorWithoutSecret accepts the step's error when it matches want and
// holds no secret, so the whole diagnostic text is inspected.
func expectErrorWithoutSecret(want *regexp.Regexp) func(error) error {
	return func(err error) error {
		if s := findSecret(err.Error()); s != "" {
			return fmt.Errorf("a diagnostic shows the secret %s: %w", s, err)
		}
		if !want.MatchString(err.Error()) {
			return fmt.Errorf("error does not match %s: %w", want, err)
		}
		return nil
	}
}

// With TF_LOG=TRACE, through successful and failing reads, no secret reaches
// the provider's log lines, a diagnostic or the state.
func TestSecrets_neverLoggedShownOrStored(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	env := newTestEnv(t, emulator.Options{
		Credentials: []emulator.Credential{{AccessKey: "LEAKCHECKAK", SecretKey: leakSecretKey, SecurityToken: leakSecurityToken}},
		Tokens:      []string{leakToken},
		Catalog:     &emulator.Catalog{Images: numberedImages(3), MarketImages: []emulator.Image{{"image_id": "m-1", "name": "m"}}},
	})
	// Credentials come from the environment, as in a pipeline, so the
	// configuration the test harness logs holds none.
	provider := fmt.Sprintf("provider \"hwc\" {\n region = %q\n max_retries = 1\n endpoints = { ims = %q, workspace = %q, iam = %q }\n}\n",
		emulator.DefaultRegion, env.URL, env.URL, env.URL)
	reads := `
data "hwc_ims_images" "x" {}
data "hwc_workspace_market_images" "m" { image_ids = ["m-1"] }
`
	failure := regexp.MustCompile(`HTTP status: 500`)
	for _, creds := range []map[string]string{
		{"HW_ACCESS_KEY": "LEAKCHECKAK", "HW_SECRET_KEY": leakSecretKey, "HW_SECURITY_TOKEN": leakSecurityToken, "HW_AUTH_TOKEN": ""},
		{"HW_ACCESS_KEY": "", "HW_SECRET_KEY": "", "HW_SECURITY_TOKEN": "", "HW_AUTH_TOKEN": leakToken},
	} {
		for k, v := range creds {
			t.Setenv(k, v)
		}
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:            provider + reads,
				ConfigStateChecks: []statecheck.StateCheck{noSecretInState{}},
			}},
		})
		env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 500, Code: "IMG.0500", Message: "internal error", Times: 2})
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			ErrorCheck:               expectErrorWithoutSecret(failure),
			Steps:                    []resource.TestStep{{Config: provider + reads}},
		})
		env.Server.Reset()
	}

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(log)
	// The log must hold the provider's request lines, or this test proves nothing.
	host := strings.TrimPrefix(env.URL, "http://")
	for _, want := range []string{"HTTP request", "host=" + host, "path=/v1/cloudimages/fuzzy", "path=/v2/" + emulator.DefaultProjectID + "/market-images", "status=500"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the TRACE log has no %q line", want)
		}
	}
	if s := findSecret(text); s != "" {
		i := strings.Index(text, s)
		t.Errorf("the log holds the secret %s: …%s…", s, text[max(0, i-200):min(len(text), i+50)])
	}
	for _, header := range []string{"Authorization", "X-Auth-Token", "X-Security-Token", "SDK-HMAC-SHA256 Access"} {
		if strings.Contains(text, header+":") || strings.Contains(text, header+"=") {
			t.Errorf("the log shows the %s header", header)
		}
	}
}

// A one-letter secret does not garble the provider's log: secrets are
// masked where a server may echo them, not as letters of every line.
func TestSecrets_shortSecretDoesNotGarbleTheLog(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	env := newTestEnv(t, emulator.Options{Tokens: []string{"T"}, Catalog: &emulator.Catalog{Images: numberedImages(1)}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"hwc\" {\n region = %q\n token = \"T\"\n endpoints = { ims = %q, workspace = %q, iam = %q }\n}\n",
				emulator.DefaultRegion, env.URL, env.URL, env.URL) + `data "hwc_ims_images" "x" {}`,
		}},
	})
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HTTP request", "path=/v1/cloudimages/fuzzy", "IMS listing done"} {
		if !strings.Contains(string(log), want) {
			t.Errorf("the TRACE log has no intact %q", want)
		}
	}
}

// A provider block whose endpoints mix this machine and the cloud (the
// emulator for ims, the cloud's IAM by default) is warned about, naming
// both; one that points every service at this machine is not.
func TestProvider_mixedEndpointsWarn(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	mixed := fmt.Sprintf(`provider "hwc" {
  region     = %q
  project_id = %q
  token      = %q
  endpoints  = { ims = %q }
}

data "hwc_ims_images" "x" {
  image_type = "gold"
  limit      = 1
}
`, emulator.DefaultRegion, emulator.DefaultProjectID, emulator.DefaultToken, env.URL)
	found := false
	for _, d := range planDiagnostics(t, mixed) {
		if d.Summary == "Endpoints on This Machine and on the Cloud" {
			found = strings.Contains(d.Detail, "points ims at this machine, but workspace (workspace.cn-north-4.myhuaweicloud.com) and iam")
		}
	}
	if !found {
		t.Error("no warning about endpoints on this machine and on the cloud")
	}
	for _, d := range planDiagnostics(t, env.ProviderBlock()+"data \"hwc_ims_images\" \"x\" {\n  image_type = \"gold\"\n  limit = 1\n}\n") {
		if d.Summary == "Endpoints on This Machine and on the Cloud" {
			t.Errorf("a block with every endpoint on this machine is warned: %s", d.Detail)
		}
	}
}

// An endpoint URL with user info, a query or a fragment is refused, and the
// error shows it with those parts as ***: a password or token in it, from a
// sensitive variable, never reaches the output.
func TestProvider_endpointSecretsNeverShown(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	for _, c := range []struct{ url, shown string }{
		{"https://admin:pw-SECRET-1@ims.example.com/", `"https://\*\*\*@ims.example.com/"`},
		{"https://ims.example.com/v1?token=tok-SECRET-2", `"https://ims.example.com/v1\?\*\*\*"`},
		{"https://ims.example.com/#tok-SECRET-3", `"https://ims.example.com/#\*\*\*"`},
	} {
		want := regexp.MustCompile(`Invalid Endpoint URL(.|\n)*` + c.shown)
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			ErrorCheck: func(err error) error {
				if strings.Contains(err.Error(), "SECRET") || !want.MatchString(err.Error()) {
					return fmt.Errorf("want an error showing %s and no secret: %w", c.shown, err)
				}
				return nil
			},
			Steps: []resource.TestStep{{Config: fmt.Sprintf(`variable "ep" {
  type      = string
  sensitive = true
  default   = %q
}
provider "hwc" {
  region     = "cn-north-4"
  access_key = "AK"
  secret_key = "SK"
  endpoints  = { ims = var.ep }
}
data "hwc_ims_images" "x" {}
`, c.url), Check: func(*terraform.State) error { return errors.New("the configuration was accepted") }}},
		})
	}
	env.ExpectNoRequests(t)
}
