package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// badFilterCases derives a rejected value for every validator of the filter
// table, so a filter added to the table is covered by the test below.
func badFilterCases() []struct{ body, want string } {
	var cases []struct{ body, want string }
	add := func(body, want string) { cases = append(cases, struct{ body, want string }{body, want}) }
	for _, f := range imageFilters {
		switch {
		case len(f.oneOf) > 0:
			add(f.attr+` = "not-`+f.oneOf[0]+`"`, "Attribute "+f.attr+" value must be one of")
		case f.kind == kindInt:
			add(f.attr+" = -1", "Attribute "+f.attr+" value must be at least 0")
		case f.enc == encAfter || f.enc == encBefore:
			add(f.attr+` = "2024-02-30T00:00:00Z"`, f.attr+` is "2024-02-30T00:00:00Z": day out of range`)
			add(f.attr+` = "2024-01-01"`, f.attr+` is "2024-01-01": not an RFC 3339 time.`)
		case f.kind == kindString:
			add(f.attr+` = ""`, "Attribute "+f.attr+" string length must be at least 1")
		}
	}
	add(`tag = "env"`, `Attribute tag must be key=value`)
	add(`enterprise_project_id = "default"`, `Attribute enterprise_project_id must be 0, a UUID or all_granted_eps`)
	add(`member_status = "accepted"`, `member_status filters shared images only, so it needs visibility = "shared"`)
	add("visibility = \"private\"\nmember_status = \"accepted\"", `member_status filters shared images only`)
	add("support_kvm = true\nsupport_kvm_gpu_type = \"T4\"", `Attribute "support_kvm" cannot be specified when "support_kvm_gpu_type" is specified`)
	add("support_xen = false\nsupport_kvm_gpu_type = \"T4\"", `Attribute "support_xen" cannot be specified when "support_kvm_gpu_type" is specified`)
	add("support_kvm = true\nsupport_xen_gpu_type = \"M60\"", `Attribute "support_kvm" cannot be specified when "support_xen_gpu_type" is specified`)
	add("support_xen = false\nsupport_xen_gpu_type = \"M60\"", `Attribute "support_xen" cannot be specified when "support_xen_gpu_type" is specified`)
	add("support_kvm = true\nsupport_xen_hana = true", `Attribute "support_kvm" cannot be specified when "support_xen_hana" is specified`)
	add("support_xen = true\nsupport_xen_hana = false", `Attribute "support_xen" cannot be specified when "support_xen_hana" is specified`)
	add("support_xen = true\nsupport_kvm_infiniband = true", `Attribute "support_xen" cannot be specified when "support_kvm_infiniband" is specified`)
	add(`name_regex = "web-("`, `name_regex is not a valid RE2 regular expression`)
	add(`limit = 0`, `Attribute limit value must be at least 1`)
	add(`exclude_name_regex = "(?<!x)"`, `exclude_name_regex is not a valid RE2 regular expression`)
	add(`exclude_ids = [""]`, `Attribute exclude_ids[Value("")] string length must be at least 1`)
	add(`min_age = "3 days"`, `min_age is "3 days", which is not a duration`)
	add(`min_age = "-1h"`, `min_age is "-1h"; it must be a duration of 0 or more`)
	add(`order_by = "name"`, `Attribute order_by value must be one of: ["created_at" "version"]`)
	return cases
}

// Each bad argument is an error naming the attribute, before any request.
// The cases run in parallel groups; each step is one terraform plan.
func TestIMSImages_badInputSendsNoRequest(t *testing.T) {
	t.Parallel()
	cases := badFilterCases()
	const group = 12
	for start := 0; start < len(cases); start += group {
		chunk := cases[start:min(start+group, len(cases))]
		t.Run(fmt.Sprintf("cases %d-%d", start, start+len(chunk)-1), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Options{})
			var steps []resource.TestStep
			for i, c := range chunk {
				// Both data sources share the validators; alternate them.
				ds := []string{"hwc_ims_images", "hwc_ims_image"}[i%2]
				steps = append(steps, resource.TestStep{
					Config:      env.provider() + "data \"" + ds + "\" \"x\" {\n" + c.body + "\n}\n",
					ExpectError: errorRE(c.want),
				})
			}
			runTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
			env.expectNoRequests(t)
		})
	}
}

func TestProvider_badConfigurationSendsNoRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	ds := `data "hwc_ims_images" "x" {}`
	block := func(body string) string { return "provider \"hwc\" {\n" + body + "\n}\n" + ds }
	endpoints := `endpoints = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }`
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
		{"region = \"cn-north-4\"\n" + endpoints, `Missing Credentials .* Set access_key and secret_key`},
		{"region = \"cn-north-4\"\nsecurity_token = \"ST\"\ntoken = \"T\"\n" + endpoints, `Security Token Without Access Key`},
		{"region = \"cn-north-4\"\n" + creds + "\nendpoints = { ecs = \"https://ecs.example.com\" }", `Unknown Endpoint Key .* "ecs" is not a service of this provider. The allowed keys are ims, workspace and iam`},
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
		steps = append(steps, resource.TestStep{Config: block(c.body), ExpectError: errorRE(c.want)})
	}
	runTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	env.expectNoRequests(t)
}

func TestProvider_regionWithoutProject(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "hwc" {
  region     = "xx-nowhere-1"
  access_key = "` + emulator.DefaultAccessKey + `"
  secret_key = "` + emulator.DefaultSecretKey + `"
  endpoints  = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }
}
data "hwc_ims_images" "x" {}`,
			ExpectError: errorRE(`IAM has no project named "xx-nowhere-1" for these credentials. Check region, or set project_id`),
		}},
	})
	if n := env.requestCount("/cloudimages/fuzzy"); n != 0 {
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
	endpoints := `endpoints  = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }`
	runTest(t, resource.TestCase{
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
				ExpectError: errorRE(`HTTP status: 401 .* APIGW.0301 .* the security token is missing or does not match the access key`),
			},
		},
	})
	for _, r := range env.emu.RequestsTo("/cloudimages/fuzzy") {
		if r.Header.Get("X-Security-Token") == "" && r.Header.Get("X-Auth-Token") == "" && r.Status == 200 {
			t.Errorf("a listing succeeded without token or security token")
		}
	}
}

// Settings from the environment are validated like the arguments.
func TestProvider_badEnvironment(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cfg := env.provider() + `data "hwc_ims_images" "x" {}`
	for _, c := range []struct{ name, value, want string }{
		{"HW_INSECURE", "maybe", `Invalid Insecure .* insecure (HW_INSECURE) is "maybe"; give true or false`},
		{"HW_MAX_RETRIES", "-2", `Invalid Max Retries .* max_retries (HW_MAX_RETRIES) is "-2"; give a whole number of 0 or more`},
		{"HW_MAX_RETRIES", "many", `max_retries (HW_MAX_RETRIES) is "many"`},
		{"HW_REQUEST_TIMEOUT", "1 minute", `request_timeout (HW_REQUEST_TIMEOUT) is "1 minute"`},
	} {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			t.Setenv(c.name, c.value)
			runTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: cfg, ExpectError: errorRE(c.want)}},
			})
		})
	}
	env.expectNoRequests(t)
}

// A provider setting that is not known at plan time is an error naming it.
func TestProvider_unknownSetting(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
resource "terraform_data" "region" {
  input = "cn-north-4"
}
provider "hwc" {
  region     = terraform_data.region.output
  access_key = "AK"
  secret_key = "SK"
  endpoints  = { ims = "` + env.url + `", workspace = "` + env.url + `", iam = "` + env.url + `" }
}
data "hwc_ims_images" "x" {}
`,
			ExpectError: errorRE(`Unknown Provider Setting .* The provider needs region before any data source is read`),
		}},
	})
	env.expectNoRequests(t)
}
