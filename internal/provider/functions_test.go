package provider

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// requireFunctions skips a test of provider functions on a CLI without
// them: Terraform before 1.8, OpenTofu before 1.7.
func requireFunctions(t *testing.T) {
	t.Helper()
	providertest.RequireCLI(t)
	v := providertest.CLIVersion()
	m := regexp.MustCompile(`^(Terraform|OpenTofu) v1\.(\d+)\.`).FindStringSubmatch(v)
	if m == nil {
		t.Fatalf("unknown CLI version %q", v)
	}
	minor, _ := strconv.Atoi(m[2])
	if m[1] == "Terraform" && minor < 8 || m[1] == "OpenTofu" && minor < 7 {
		t.Skipf("%s has no provider functions (Terraform 1.8 and OpenTofu 1.7 are the first)", v)
	}
}

// applyOutputs applies a configuration and returns its outputs as JSON
// values, or the CLI's error output.
func applyOutputs(t *testing.T, config string) (map[string]json.RawMessage, string) {
	t.Helper()
	w := providertest.NewWorkDir(t, withError(testServer()))
	// A function needs its provider in required_providers; the tests serve
	// hashicorp/hwc (providerAddress).
	w.SetConfig("terraform {\n  required_providers {\n    hwc = { source = \"hashicorp/hwc\" }\n  }\n}\n" + config)
	w.Init()
	if _, stderr, err := w.Run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, string(stderr)
	}
	stdout, stderr, err := w.Run("output", "-json")
	if err != nil {
		t.Fatalf("terraform output: %v\n%s", err, stderr)
	}
	var outputs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(stdout, &outputs); err != nil {
		t.Fatal(err)
	}
	values := map[string]json.RawMessage{}
	for k, v := range outputs {
		values[k] = v.Value
	}
	return values, ""
}

// compare_versions and sort_versions order as order_by = "version" does —
// unicode compared byte by byte, digit runs longer than 64 bits by value,
// leading zeros after equal values — in a configuration with no provider
// block and no credentials.
func TestFunctions_orderAsVersionDoes(t *testing.T) {
	t.Parallel()
	requireFunctions(t)
	outputs, errText := applyOutputs(t, `
locals {
  names = ["CentOS 7.9", "Ubuntu 24.04", "CentOS 7.10", "Ubuntu 22.04", "CentOS 7.9", "Ubuntu 22.04.5"]
}
output "minor_above"  { value = provider::hwc::compare_versions("CentOS 7.10", "CentOS 7.9") }
output "equal"        { value = provider::hwc::compare_versions("Ubuntu 22.04", "Ubuntu 22.04") }
output "shorter_name" { value = provider::hwc::compare_versions("Ubuntu 22.04", "Ubuntu 22.04.5") }
output "leading_zero" { value = provider::hwc::compare_versions("build 1", "build 01") }
output "huge_digits"  { value = provider::hwc::compare_versions("v123456789012345678901234567890", "v99999999999999999999") }
output "unicode"      { value = provider::hwc::compare_versions("Ελληνικά 2", "Ελληνικά 10") }
output "sorted"       { value = provider::hwc::sort_versions(local.names) }
output "highest"      { value = reverse(provider::hwc::sort_versions(local.names))[0] }
output "empty"        { value = provider::hwc::sort_versions([]) }
`)
	if errText != "" {
		t.Fatal(errText)
	}
	for name, want := range map[string]string{
		"minor_above": "1", "equal": "0", "shorter_name": "-1", "leading_zero": "-1", "huge_digits": "1", "unicode": "-1",
		"sorted":  `["CentOS 7.9","CentOS 7.9","CentOS 7.10","Ubuntu 22.04","Ubuntu 22.04.5","Ubuntu 24.04"]`,
		"highest": `"Ubuntu 24.04"`, "empty": `[]`,
	} {
		var got bytes.Buffer
		if err := json.Compact(&got, outputs[name]); err != nil || got.String() != want {
			t.Errorf("%s = %s, want %s", name, outputs[name], want)
		}
	}
}

// A null argument is an error that names it.
func TestFunctions_nullArguments(t *testing.T) {
	t.Parallel()
	requireFunctions(t)
	for config, want := range map[string]string{
		`output "x" { value = provider::hwc::compare_versions(null, "1") }`: `"a"`,
		`output "x" { value = provider::hwc::compare_versions("1", null) }`: `"b"`,
		`output "x" { value = provider::hwc::sort_versions(null) }`:         `"names"`,
		`output "x" { value = provider::hwc::sort_versions(["1", null]) }`:  `names holds a null element`,
	} {
		_, errText := applyOutputs(t, config)
		if folded := strings.Join(strings.Fields(errText), " "); !strings.Contains(folded, want) {
			t.Errorf("%s: error %q does not name %s", config, folded, want)
		}
	}
}

// Without a provider block, what the provider lacks is reported by the
// data source that needs it, not by the configuration of the provider,
// which OpenTofu makes for functions too: a data source fails on the
// missing region, and no request is sent.
func TestFunctions_noProviderBlockFailsTheDataSource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, loginOptions())
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config:      `data "hwc_ims_images" "x" {}`,
		ExpectError: providertest.ErrorRE(`Error: Missing Region with data.hwc_ims_images.x, .* Set region in the provider block or the HW_REGION_NAME environment variable`),
	}}})
	env.ExpectNoRequests(t)
}
