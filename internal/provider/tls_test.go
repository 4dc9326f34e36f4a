package provider

import (
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// An endpoint with a self-signed certificate fails with a message naming
// cacert_file and insecure, and works once cacert_file trusts it.
func TestTLS_selfSignedEndpoint(t *testing.T) {
	requireTerraform(t)
	t.Parallel()
	emu := emulator.New(emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(2)}})
	srv := httptest.NewTLSServer(emu)
	defer srv.Close()
	env := &testEnv{emu: emu, url: srv.URL}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.provider() + `data "hwc_ims_images" "x" {}`,
				ExpectError: errorRE(`certificate signed by unknown authority .* The endpoint's TLS certificate is not trusted. .* set cacert_file (HW_CACERT_FILE) to a PEM bundle holding that authority. insecure = true skips verification`),
			},
			{
				Config: env.provider(`cacert_file = "`+caFile+`"`) + `data "hwc_ims_images" "x" {}`,
				Check:  resource.TestCheckResourceAttr("data.hwc_ims_images.x", "ids.#", "2"),
			},
			{
				Config: env.provider(`insecure = true`) + `data "hwc_ims_images" "x" {}`,
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
	_, d := clientConfig(m, "test")
	if d.HasError() || d.WarningsCount() != 0 {
		t.Fatalf("defaults: %v", d)
	}

	m = base()
	m.Insecure = types.BoolValue(true)
	_, d = clientConfig(m, "test")
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
		_, d = clientConfig(m, "test")
		if got := strings.Contains(warnings(d), "Credentials Sent Without TLS"); got != warn {
			t.Errorf("%s: warning %v, want %v (%q)", endpoint, got, warn, warnings(d))
		}
	}
}
