package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// loginOptions is an emulator that knows every identity of the other ways
// to log in, with the defaults hwc-emulator starts with.
func loginOptions() emulator.Options {
	return emulator.Options{
		Credentials:      []emulator.Credential{{AccessKey: emulator.DefaultAccessKey, SecretKey: emulator.DefaultSecretKey}},
		Tokens:           []string{emulator.DefaultToken},
		Agency:           &emulator.Agency{Name: emulator.DefaultAgencyName, DomainName: emulator.DefaultDomainName, DomainID: emulator.DefaultDomainID},
		IdentityProvider: &emulator.IdentityProvider{ID: emulator.DefaultIdpID, IDToken: emulator.DefaultIDToken},
		User: &emulator.User{Name: emulator.DefaultUserName, Password: emulator.DefaultUserPassword,
			DomainName: emulator.DefaultDomainName, DomainID: emulator.DefaultDomainID},
		Catalog: &emulator.Catalog{Images: numberedImages(3)},
	}
}

// endpoints is the endpoints argument of an emulator, with extra keys.
func (e *testEnv) endpoints(extra string) string {
	return fmt.Sprintf("endpoints = { ims = %q, workspace = %q, iam = %q %s }", e.URL, e.URL, e.URL, extra)
}

const readImages = "\ndata \"hwc_ims_images\" \"x\" {}\n"

// listedWith reports the access keys (or "token") the IMS listings were
// sent with.
func (e *testEnv) listedWith() []string {
	var keys []string
	for _, r := range e.Server.RequestsTo("/cloudimages/fuzzy") {
		if r.Header.Get("X-Auth-Token") != "" {
			keys = append(keys, "token")
			continue
		}
		access, _, _ := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Access="), ",")
		if r.Header.Get("X-Security-Token") == "" {
			access += " (no security token)"
		}
		keys = append(keys, access)
	}
	return keys
}

// expectListedWith checks that every listing was sent with keys of a flow
// (an access key that starts with prefix, with its security token).
func (e *testEnv) expectListedWith(prefix string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		keys := e.listedWith()
		if len(keys) == 0 {
			return fmt.Errorf("no listing was sent")
		}
		for _, k := range keys {
			if !strings.HasPrefix(k, prefix) || strings.Contains(k, "no security token") {
				return fmt.Errorf("listings were sent with %q, want temporary keys %s… with their security token", keys, prefix)
			}
		}
		return nil
	}
}

// requestBody is the JSON body of the last request to a path, decoded.
func (e *testEnv) lastBody(t *testing.T, suffix string) map[string]any {
	t.Helper()
	reqs := e.Server.RequestsTo(suffix)
	if len(reqs) == 0 {
		t.Fatalf("no request to %s", suffix)
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatalf("the body of %s: %v", suffix, err)
	}
	return body
}

// Each way to log in, by the provider block: the listings are sent with
// the credentials that way issues.
func TestLogin_eachWayByBlock(t *testing.T) {
	t.Parallel()
	tokenFile := filepath.Join(t.TempDir(), "id-token")
	if err := os.WriteFile(tokenFile, []byte(emulator.DefaultIDToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := fmt.Sprintf("access_key = %q\n  secret_key = %q\n", emulator.DefaultAccessKey, emulator.DefaultSecretKey)
	cases := []struct {
		name, block, listedWith string
		issued                  map[string]int // a login's requests
		first                   string         // the flow each login starts with
	}{
		{"agency", keys + fmt.Sprintf("assume_role {\n agency_name = %q\n domain_name = %q\n duration = 900\n}", emulator.DefaultAgencyName, emulator.DefaultDomainName),
			"EMUAGENCY", map[string]int{emulator.FlowAgency: 1}, emulator.FlowAgency},
		{"agency by domain_id", keys + fmt.Sprintf("assume_role {\n agency_name = %q\n domain_id = %q\n}", emulator.DefaultAgencyName, emulator.DefaultDomainID),
			"EMUAGENCY", map[string]int{emulator.FlowAgency: 1}, emulator.FlowAgency},
		{"oidc", fmt.Sprintf("assume_role_with_oidc {\n idp_id = %q\n id_token_file = %q\n}", emulator.DefaultIdpID, tokenFile),
			"EMUFEDERATION", map[string]int{emulator.FlowIDToken: 1, emulator.FlowFederation: 1}, emulator.FlowIDToken},
		{"oidc and agency", fmt.Sprintf("assume_role_with_oidc {\n idp_id = %q\n id_token = %q\n agency_name = %q\n domain_id = %q\n}",
			emulator.DefaultIdpID, emulator.DefaultIDToken, emulator.DefaultAgencyName, emulator.DefaultDomainID),
			"EMUAGENCY", map[string]int{emulator.FlowIDToken: 1, emulator.FlowFederation: 1, emulator.FlowAgency: 1}, emulator.FlowIDToken},
		{"password", fmt.Sprintf("user_name = %q\n password = %q\n domain_name = %q\n", emulator.DefaultUserName, emulator.DefaultUserPassword, emulator.DefaultDomainName),
			"token", map[string]int{emulator.FlowPassword: 1}, emulator.FlowPassword},
		{"password and agency", fmt.Sprintf("user_name = %q\n password = %q\n domain_id = %q\nassume_role {\n agency_name = %q\n domain_name = %q\n}",
			emulator.DefaultUserName, emulator.DefaultUserPassword, emulator.DefaultDomainID, emulator.DefaultAgencyName, emulator.DefaultDomainName),
			"EMUAGENCY", map[string]int{emulator.FlowPassword: 1, emulator.FlowAgency: 1}, emulator.FlowPassword},
		{"metadata", "", "EMUMETADATA", map[string]int{emulator.FlowMetadata: 1}, emulator.FlowMetadata},
		{"metadata and agency", fmt.Sprintf("assume_role {\n agency_name = %q\n domain_name = %q\n}", emulator.DefaultAgencyName, emulator.DefaultDomainName),
			"EMUAGENCY", map[string]int{emulator.FlowMetadata: 1, emulator.FlowAgency: 1}, emulator.FlowMetadata},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, loginOptions())
			config := fmt.Sprintf("provider \"hwc\" {\n region = %q\n %s\n %s\n}\n", emulator.DefaultRegion, c.block, env.endpoints(", metadata = \""+env.URL+"\""))
			providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
				Config: config + readImages,
				Check: resource.ComposeTestCheckFunc(resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "3"),
					env.expectListedWith(c.listedWith)),
			}}})
			if providertest.FullMode() {
				return
			}
			// Terraform configures the provider once for the plan and once
			// for the apply: each configuration logs in once, every step.
			logins := env.Server.Issued(c.first)
			for _, flow := range []string{emulator.FlowAgency, emulator.FlowFederation, emulator.FlowIDToken, emulator.FlowPassword, emulator.FlowMetadata} {
				if got, want := env.Server.Issued(flow), logins*c.issued[flow]; got != want || logins == 0 {
					t.Errorf("%s issued %d credentials, want %d", flow, got, want)
				}
			}
		})
	}
}

// The request bodies are the ones the issue and IAM's documents give.
func TestLogin_requestBodies(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, loginOptions())
	config := fmt.Sprintf(`provider "hwc" {
  region = %q
  assume_role_with_oidc {
    idp_id      = %q
    id_token    = %q
    agency_name = %q
    domain_id   = %q
    duration    = 1800
  }
  %s
}
`, emulator.DefaultRegion, emulator.DefaultIdpID, emulator.DefaultIDToken, emulator.DefaultAgencyName, emulator.DefaultDomainID, env.endpoints(""))
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{Config: config + readImages}}})
	idReq := env.Server.RequestsTo("/OS-AUTH/id-token/tokens")
	if len(idReq) == 0 || idReq[0].Header.Get("X-Idp-Id") != emulator.DefaultIdpID || idReq[0].Header.Get("Authorization") != "" {
		t.Fatalf("the id-token request carries X-Idp-Id and no signature: %+v", idReq)
	}
	if got := env.lastBody(t, "/OS-AUTH/id-token/tokens"); fmt.Sprint(got) != fmt.Sprint(map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": emulator.DefaultIDToken}}}) {
		t.Errorf("id-token body %v", got)
	}
	var tokenStep, agencyStep map[string]any
	for _, r := range env.Server.RequestsTo("/OS-CREDENTIAL/securitytokens") {
		var body map[string]any
		_ = json.Unmarshal(r.Body, &body)
		if r.Header.Get("X-Auth-Token") != "" {
			tokenStep = body
		} else {
			agencyStep = body
		}
	}
	identity := func(b map[string]any) string {
		auth, _ := b["auth"].(map[string]any)
		return fmt.Sprint(auth["identity"])
	}
	if got := identity(tokenStep); !regexp.MustCompile(`^map\[methods:\[token\] token:map\[id:emulator-id-token-subject-[0-9a-f]+\]\]$`).MatchString(got) {
		t.Errorf("federation step %s: the subject token in token.id, no duration (it applies to the agency)", got)
	}
	want := fmt.Sprintf("map[assume_role:map[agency_name:%s domain_id:%s duration_seconds:1800] methods:[assume_role]]", emulator.DefaultAgencyName, emulator.DefaultDomainID)
	if got := identity(agencyStep); got != want {
		t.Errorf("agency step %s, want %s", got, want)
	}
}

// The same ways from the environment alone, as pipelines set them.
func TestLogin_environmentOnly(t *testing.T) {
	env := newTestEnv(t, loginOptions())
	provider := fmt.Sprintf("provider \"hwc\" {\n region = %q\n %s\n}\n", emulator.DefaultRegion, env.endpoints(""))
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(emulator.DefaultIDToken+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		vars   map[string]string
		prefix string
	}{
		{"agency", map[string]string{"HW_ACCESS_KEY": emulator.DefaultAccessKey, "HW_SECRET_KEY": emulator.DefaultSecretKey,
			"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DefaultAgencyName, "HW_ASSUME_ROLE_DOMAIN_NAME": emulator.DefaultDomainName}, "EMUAGENCY"},
		{"oidc", map[string]string{"HW_ASSUME_ROLE_IDP_ID": emulator.DefaultIdpID, "HW_ASSUME_ROLE_ID_TOKEN_FILE": tokenFile}, "EMUFEDERATION"},
		{"oidc and agency", map[string]string{"HW_ASSUME_ROLE_IDP_ID": emulator.DefaultIdpID, "HW_ASSUME_ROLE_ID_TOKEN": emulator.DefaultIDToken,
			"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DefaultAgencyName, "HW_ASSUME_ROLE_DOMAIN_ID": emulator.DefaultDomainID}, "EMUAGENCY"},
		{"password", map[string]string{"HW_USER_NAME": emulator.DefaultUserName, "HW_USER_PASSWORD": emulator.DefaultUserPassword,
			"HW_DOMAIN_NAME": emulator.DefaultDomainName}, "token"},
		{"metadata", map[string]string{"HW_METADATA_ENDPOINT": env.URL}, "EMUMETADATA"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.vars {
				t.Setenv(k, v)
			}
			env.Server.Reset()
			providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
				Config: provider + readImages, Check: env.expectListedWith(c.prefix)}}})
		})
	}
}

// writeProfiles writes a KooCLI configuration file.
func writeProfiles(t *testing.T, current string, profiles ...map[string]string) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"current": current, "profiles": profiles, "language": "en"})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// KooCLI profiles: by profile and by current; the block's and the
// environment's keys beat the profile's as a whole; a profile's region
// applies when nothing else sets one; a profile with an agency assumes it.
func TestLogin_profiles(t *testing.T) {
	env := newTestEnv(t, loginOptions())
	good := map[string]string{"name": "ci", "mode": "AKSK", "accessKeyId": emulator.DefaultAccessKey, "secretAccessKey": emulator.DefaultSecretKey,
		"region": emulator.DefaultRegion}
	stale := map[string]string{"name": "stale", "mode": "AKSK", "accessKeyId": "STALEKEY", "secretAccessKey": "stale-secret", "securityToken": "stale-token",
		"region": emulator.DefaultRegion}
	agency := map[string]string{"name": "ops", "mode": "AKSK", "accessKeyId": emulator.DefaultAccessKey, "secretAccessKey": emulator.DefaultSecretKey,
		"region": emulator.DefaultRegion, "agencyName": emulator.DefaultAgencyName, "agencyDomainName": emulator.DefaultDomainName}
	file := writeProfiles(t, "stale", good, stale, agency)
	current := writeProfiles(t, "ci", stale, good)
	block := func(args string) string {
		return fmt.Sprintf("provider \"hwc\" {\n %s\n %s\n}\n", args, env.endpoints("")) + readImages
	}
	steps := []struct {
		name, config, prefix string
		vars                 map[string]string
	}{
		{"by profile, region from the profile", block(fmt.Sprintf("shared_config_file = %q\n profile = \"ci\"", file)), emulator.DefaultAccessKey + " (no", nil},
		{"by HW_PROFILE", block(fmt.Sprintf("shared_config_file = %q", file)), emulator.DefaultAccessKey + " (no", map[string]string{"HW_PROFILE": "ci"}},
		{"by current", block(fmt.Sprintf("shared_config_file = %q", current)), emulator.DefaultAccessKey + " (no", nil},
		{"by HW_SHARED_CONFIG_FILE and current", block(""), emulator.DefaultAccessKey + " (no", map[string]string{"HW_SHARED_CONFIG_FILE": current}},
		{"explicit keys beat the current profile", block(fmt.Sprintf("shared_config_file = %q\n access_key = %q\n secret_key = %q", file,
			emulator.DefaultAccessKey, emulator.DefaultSecretKey)), emulator.DefaultAccessKey + " (no", nil},
		{"environment keys beat the current profile", block(fmt.Sprintf("shared_config_file = %q", file)), emulator.DefaultAccessKey + " (no",
			map[string]string{"HW_ACCESS_KEY": emulator.DefaultAccessKey, "HW_SECRET_KEY": emulator.DefaultSecretKey}},
		{"a profile's agency", block(fmt.Sprintf("shared_config_file = %q\n profile = \"ops\"", file)), "EMUAGENCY", nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			for k, v := range s.vars {
				t.Setenv(k, v)
			}
			env.Server.Reset()
			providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
				Config: s.config, Check: func(*terraform.State) error {
					if keys := env.listedWith(); len(keys) == 0 || !strings.HasPrefix(keys[0], s.prefix) {
						return fmt.Errorf("listings sent with %q, want %s…", keys, s.prefix)
					}
					return nil
				}}}})
		})
	}
	// The current profile alone: its stale keys are used, whole.
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config: block(fmt.Sprintf("shared_config_file = %q", file)), ExpectError: providertest.ErrorRE(`the access key is unknown`)}}})
}

// Each failure of a login fails in seconds, with one error naming the
// step and the argument to fix, and no IMS request.
func TestLogin_failures(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, loginOptions())
	profiles := writeProfiles(t, "ci", map[string]string{"name": "ci", "mode": "AKSK", "region": emulator.DefaultRegion})
	keys := fmt.Sprintf("access_key = %q\n secret_key = %q\n", emulator.DefaultAccessKey, emulator.DefaultSecretKey)
	cases := []struct{ args, want string }{
		{keys + "assume_role {\n agency_name = \"no-such-agency\"\n domain_name = \"" + emulator.DefaultDomainName + "\"\n}",
			`Unable to Assume the Agency .* "no-such-agency" \(assume_role, agency_name\).* HTTP status: 403 .* IAM.0002`},
		{keys + "assume_role {\n agency_name = \"" + emulator.DefaultAgencyName + "\"\n}", `Missing Agency Account .* domain_name`},
		{keys + "assume_role {\n agency_name = \"a\"\n domain_name = \"d\"\n duration = 60\n}", `Invalid Duration .* from 900 to 43200`},
		{"assume_role_with_oidc {\n idp_id = \"" + emulator.DefaultIdpID + "\"\n id_token = \"expired.jwt.token\"\n}",
			`Unable to Log In With the Id Token .* \(id_token or id_token_file\).* HTTP status: 401`},
		{"assume_role_with_oidc {\n idp_id = \"" + emulator.DefaultIdpID + "\"\n id_token_file = \"/nonexistent/token\"\n}", `Unreadable Id Token File`},
		{"assume_role_with_oidc {\n idp_id = \"" + emulator.DefaultIdpID + "\"\n}", `Missing Id Token .* id_token_file`},
		{"user_name = \"" + emulator.DefaultUserName + "\"\n password = \"wrong\"\n domain_name = \"" + emulator.DefaultDomainName + "\"",
			`Unable to Log In With the Password .* HTTP status: 401 .* IAM.0101`},
		{"user_name = \"u\"\n password = \"p\"", `Missing Domain .* domain_name`},
		{"shared_config_file = \"/nonexistent/config.json\"", `Unreadable KooCLI Configuration .* /nonexistent/config.json`},
		{fmt.Sprintf("shared_config_file = %q\n profile = \"prod\"", profiles), `Unknown Profile .* no profile named "prod" .* "ci"`},
		{fmt.Sprintf("shared_config_file = %q", profiles), `Incomplete Profile .* "ci" has no accessKeyId and secretAccessKey`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      fmt.Sprintf("provider \"hwc\" {\n region = %q\n %s\n %s\n}\n", emulator.DefaultRegion, c.args, env.endpoints("")) + readImages,
			ExpectError: regexp.MustCompile("(?s)" + strings.ReplaceAll(c.want, " ", `\s+`))})
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if n := env.RequestCount("/cloudimages/fuzzy"); n != 0 {
		t.Errorf("%d IMS requests after failed logins, want none", n)
	}
}

// Off ECS, with no credentials, the metadata API never answers: the plan
// fails with Missing Credentials, naming every way to log in, long before
// request_timeout (60 s) would end a request.
func TestLogin_metadataUnreachable(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, loginOptions())
	silent, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	go func() {
		for {
			conn, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	start := time.Now()
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config:      fmt.Sprintf("provider \"hwc\" {\n region = %q\n %s\n}\n", emulator.DefaultRegion, env.endpoints(", metadata = \"http://"+silent.Addr().String()+"\"")) + readImages,
		ExpectError: regexp.MustCompile(`Missing Credentials(.|\n)*metadata API at\s+http://127.0.0.1:[0-9]+ gave none \(no answer within 5s\)(.|\n)*token(.|\n)*access_key(.|\n)*user_name(.|\n)*assume_role_with_oidc(.|\n)*shared_config_file`),
	}}})
	if took := time.Since(start); took > 40*time.Second {
		t.Errorf("the plan took %s: the metadata request is not bounded", took)
	}
}

// Temporary credentials are renewed before they expire, once for every
// data source: the emulator issues keys that last 4 s, so the second read,
// which starts after the first one's 2.5 s answer, needs new ones; without
// renewal the emulator refuses them.
func TestLogin_renewsBeforeExpiry(t *testing.T) {
	t.Parallel()
	opts := loginOptions()
	opts.CredentialTTL = 4 * time.Second
	opts.Latency = 2500 * time.Millisecond
	env := newTestEnv(t, opts)
	config := fmt.Sprintf(`provider "hwc" {
  region     = %q
  project_id = %q
  access_key = %q
  secret_key = %q
  assume_role {
    agency_name = %q
    domain_name = %q
  }
  %s
}
data "hwc_ims_images" "first" {}
data "hwc_ims_images" "second" {
  limit = length(data.hwc_ims_images.first.ids) # another query, so another request
}
`, emulator.DefaultRegion, emulator.DefaultProjectID, emulator.DefaultAccessKey, emulator.DefaultSecretKey, emulator.DefaultAgencyName, emulator.DefaultDomainName, env.endpoints(""))
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config: config, Check: resource.TestCheckResourceAttr("data.hwc_ims_images.second", "ids.#", "3")}}})
	if got := env.Server.Issued(emulator.FlowAgency); got < 2 {
		t.Errorf("the agency's keys were issued %d times, want a renewal", got)
	}
}

// Every provider block hwc-emulator prints at start-up plans as pasted,
// with the identities it starts with: each way to log in, and the access
// keys of an emulator started with -security-token.
func TestLogin_emulatorBlocksPlanAsPrinted(t *testing.T) {
	t.Parallel()
	opts := loginOptions()
	temporary := emulator.Credential{AccessKey: "EMULATORTEMPORARYKEY", SecretKey: "emulator-temporary-secret", SecurityToken: "emulator-session-token"}
	opts.Credentials = append(opts.Credentials, temporary)
	env := newTestEnv(t, opts)
	identities := emulator.Identities{Region: emulator.DefaultRegion, Credential: opts.Credentials[0], Token: emulator.DefaultToken,
		Agency: *opts.Agency, IdP: *opts.IdentityProvider, User: *opts.User}
	blocks := emulator.ProviderBlocks(env.URL, identities)
	identities.Credential = temporary
	blocks = append(blocks, emulator.ProviderBlocks(env.URL, identities)[0])
	if !strings.Contains(blocks[len(blocks)-1].HCL, `security_token = "emulator-session-token"`) {
		t.Fatalf("the block of an emulator with a security token lacks it:\n%s", blocks[len(blocks)-1].HCL)
	}
	var steps []resource.TestStep
	for _, b := range blocks {
		steps = append(steps, resource.TestStep{Config: b.HCL + readImages, Check: resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "3")})
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

// With TF_LOG=TRACE, no secret of a login — the id token, the password,
// the temporary keys and tokens IAM issued — reaches the log, the state or
// a diagnostic, through successful reads and a failed one.
func TestLogin_secretsNeverLoggedShownOrStored(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	env := newTestEnv(t, loginOptions())
	config := fmt.Sprintf("provider \"hwc\" {\n region = %q\n max_retries = 0\n %s\n}\n", emulator.DefaultRegion, env.endpoints(", metadata = \""+env.URL+"\"")) + readImages
	var stateText, errText strings.Builder
	for _, vars := range []map[string]string{
		{"HW_ASSUME_ROLE_IDP_ID": emulator.DefaultIdpID, "HW_ASSUME_ROLE_ID_TOKEN": emulator.DefaultIDToken,
			"HW_ASSUME_ROLE_AGENCY_NAME": emulator.DefaultAgencyName, "HW_ASSUME_ROLE_DOMAIN_ID": emulator.DefaultDomainID},
		{"HW_USER_NAME": emulator.DefaultUserName, "HW_USER_PASSWORD": emulator.DefaultUserPassword, "HW_DOMAIN_NAME": emulator.DefaultDomainName,
			"HW_ASSUME_ROLE_IDP_ID": "", "HW_ASSUME_ROLE_ID_TOKEN": "", "HW_ASSUME_ROLE_AGENCY_NAME": "", "HW_ASSUME_ROLE_DOMAIN_ID": ""},
		{"HW_USER_NAME": "", "HW_USER_PASSWORD": "", "HW_DOMAIN_NAME": ""}, // the metadata API's keys
	} {
		for k, v := range vars {
			t.Setenv(k, v)
		}
		providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
			Config: config, Check: func(s *terraform.State) error { fmt.Fprint(&stateText, s); return nil }}}})
		env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 500, Code: "IMG.0500", Message: "internal error", Times: 1})
		providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(),
			ErrorCheck: func(err error) error {
				if errText.WriteString(err.Error()); !strings.Contains(err.Error(), "HTTP status: 500") {
					return err
				}
				return nil
			},
			Steps: []resource.TestStep{{Config: config, Check: func(*terraform.State) error { return errors.New("the injected failure did not fail the read") }}}})
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "path=/v3.0/OS-CREDENTIAL/securitytokens") || !strings.Contains(string(log), "path=/v3/auth/tokens") {
		t.Fatal("the TRACE log has no line of the login requests: this test would prove nothing")
	}
	secrets := append(env.Server.IssuedSecrets(), emulator.DefaultIDToken, emulator.DefaultUserPassword)
	if len(secrets) < 8 {
		t.Fatalf("the logins issued %d secrets", len(secrets))
	}
	for where, text := range map[string]string{"log": string(log), "state": stateText.String(), "diagnostics": errText.String()} {
		for _, s := range secrets {
			// The whole secret, or its last 12 characters: the random part
			// of what the emulator issues.
			if i := strings.Index(text, s[max(0, len(s)-12):]); i >= 0 {
				t.Errorf("the %s holds a secret: …%s…", where, text[max(0, i-100):min(len(text), i+40)])
			}
		}
	}
}

// A profile's project belongs to the profile's region: it applies when the
// region is the profile's, and not when the block reads another one.
func TestLogin_profileProjectFollowsItsRegion(t *testing.T) {
	t.Parallel()
	file := writeProfiles(t, "ci", map[string]string{"name": "ci", "accessKeyId": "AK", "secretAccessKey": "SK",
		"region": "cn-north-4", "projectId": "profileproject"})
	for region, want := range map[string]string{"": "profileproject", "cn-north-4": "profileproject", "ap-southeast-3": ""} {
		m := providerModel{Region: types.StringValue(region), SharedConfigFile: types.StringValue(file), Endpoints: types.MapNull(types.StringType)}
		cfg, d := clientConfig(m, "test", newSettings(nil))
		if d.HasError() || cfg.ProjectID != want {
			t.Errorf("region %q: project %q, want %q (%v)", region, cfg.ProjectID, want, d)
		}
	}
}
