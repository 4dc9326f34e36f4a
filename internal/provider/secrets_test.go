package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

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
		emulator.DefaultRegion, env.url, env.url, env.url)
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
		runTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:            provider + reads,
				ConfigStateChecks: []statecheck.StateCheck{noSecretInState{}},
			}},
		})
		env.emu.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 500, Code: "IMG.0500", Message: "internal error", Times: 2})
		runTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			ErrorCheck:               expectErrorWithoutSecret(failure),
			Steps:                    []resource.TestStep{{Config: provider + reads}},
		})
		env.emu.Reset()
	}

	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(log)
	// The log must hold the provider's request lines, or this test proves nothing.
	for _, want := range []string{"HTTP request", "path=/v1/cloudimages/fuzzy", "path=/v2/" + emulator.DefaultProjectID + "/market-images", "status=500"} {
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"hwc\" {\n region = %q\n token = \"T\"\n endpoints = { ims = %q, workspace = %q, iam = %q }\n}\n",
				emulator.DefaultRegion, env.url, env.url, env.url) + `data "hwc_ims_images" "x" {}`,
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
