package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// hceCatalog is Huawei Cloud EulerOS as it is published: a January build
// named with its date beside the current build, a newer 2.1, and names
// the version group of a name_regex takes no part in.
func hceCatalog() *emulator.Catalog {
	return &emulator.Catalog{Images: []emulator.Image{
		image("00000000-0000-4000-8000-100000000001", "Huawei Cloud EulerOS 2.0 64bit (20250127)", "2025-01-27T08:00:00Z", nil),
		image("00000000-0000-4000-8000-100000000002", "Huawei Cloud EulerOS 2.0 64bit", "2025-05-10T08:00:00Z", nil),
		image("00000000-0000-4000-8000-100000000003", "Huawei Cloud EulerOS 1.1 64bit", "2025-06-01T08:00:00Z", nil),
		image("00000000-0000-4000-8000-100000000004", "Huawei Cloud EulerOS 2.0 64bit", "2025-05-10T08:00:00Z", nil),
		image("00000000-0000-4000-8000-100000000005", "Huawei Cloud EulerOS 2.1 64bit (20250320)", "2025-03-20T08:00:00Z", nil),
		image("00000000-0000-4000-8000-100000000006", "Huawei Cloud EulerOS", "2025-07-01T08:00:00Z", nil),
	}}
}

// With a capture group, order_by = "version" compares the captured text:
// equal versions fall back to created_at (newest first), then the larger
// id; a name the group takes no part in compares as "" (lowest). Without a
// group, the dated build outranks the current one, with a warning that
// shows the capture form.
func TestVersions_capturedVersionOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: hceCatalog()})
	ids := func(addr string, want ...int) resource.TestCheckFunc {
		var checks []resource.TestCheckFunc
		checks = append(checks, resource.TestCheckResourceAttr(addr, "ids.#", fmt.Sprint(len(want))))
		for i, n := range want {
			checks = append(checks, resource.TestCheckResourceAttr(addr, fmt.Sprintf("ids.%d", i), fmt.Sprintf("00000000-0000-4000-8000-1%011d", n)))
		}
		return resource.ComposeTestCheckFunc(checks...)
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{
		{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "captured" {
  name_regex = "^Huawei Cloud EulerOS (\\d+\\.\\d+) 64bit"
  order_by   = "version"
}
data "hwc_ims_images" "optional_group" {
  name_regex = "^Huawei Cloud EulerOS( \\d+\\.\\d+)?"
  order_by   = "version"
}
data "hwc_ims_image" "current" {
  name_regex  = "^Huawei Cloud EulerOS (2\\.0) 64bit"
  order_by    = "version"
  most_recent = true
}`,
			Check: resource.ComposeTestCheckFunc(
				ids("data.hwc_ims_images.captured", 5, 4, 2, 1, 3),
				ids("data.hwc_ims_images.optional_group", 5, 4, 2, 1, 3, 6),
				resource.TestCheckResourceAttr("data.hwc_ims_image.current", "id", "00000000-0000-4000-8000-100000000004"),
			),
		},
	}})
}

// The trap the capture form avoids: comparing whole names, the January
// build outranks the current one; a warning says so and shows the fix.
func TestVersions_datedBuildWarning(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: hceCatalog()})
	diags := planDiagnostics(t, env.ProviderBlock()+`
data "hwc_ims_image" "hce" {
  name_regex  = "^Huawei Cloud EulerOS 2\\.0"
  order_by    = "version"
  most_recent = true
}
output "name" { value = data.hwc_ims_image.hce.name }`)
	if n := providertest.CountDiagnostics(diags, "A Dated Build Ranks First by Its Date"); n != 1 {
		t.Fatalf("%d warnings of a dated build, want 1: %+v", n, diags)
	}
	for _, d := range diags {
		if d.Summary == "A Dated Build Ranks First by Its Date" &&
			!strings.Contains(d.Detail, `name_regex = "^Huawei Cloud EulerOS (\\d+\\.\\d+) 64bit"`) {
			t.Errorf("the warning does not show the capture form: %s", d.Detail)
		}
	}
	diags = planDiagnostics(t, env.ProviderBlock()+`
data "hwc_ims_image" "hce" {
  name_regex  = "^Huawei Cloud EulerOS (\\d+\\.\\d+) 64bit"
  order_by    = "version"
  most_recent = true
}`)
	if n := providertest.CountDiagnostics(diags, "A Dated Build Ranks First by Its Date"); n != 0 {
		t.Errorf("the capture form still warns: %+v", diags)
	}
}

// hwc_ims_image_ids returns, for every order, the ids of hwc_ims_images'
// images in the same order, with the same query, and the same query sent
// once for both.
func TestIMSImageIDs_sameAsImages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: hceCatalog()})
	var config strings.Builder
	config.WriteString(env.ProviderBlock())
	orders := []string{"", `order_by = "created_at"`, `order_by = "updated_at"`, `order_by = "version"`,
		"order_by = \"version\"\n  name_regex = \"^Huawei Cloud EulerOS (\\\\d+\\\\.\\\\d+)\"", `limit = 2`}
	for i, order := range orders {
		fmt.Fprintf(&config, "data \"hwc_ims_images\" \"o%d\" {\n  %s\n}\ndata \"hwc_ims_image_ids\" \"o%d\" {\n  %s\n}\n", i, order, i, order)
	}
	var checks []resource.TestCheckFunc
	for i := range orders {
		images, ids := fmt.Sprintf("data.hwc_ims_images.o%d", i), fmt.Sprintf("data.hwc_ims_image_ids.o%d", i)
		checks = append(checks, func(s *terraform.State) error {
			a, b := s.RootModule().Resources[images].Primary.Attributes, s.RootModule().Resources[ids].Primary.Attributes
			if a["ids.#"] == "0" || a["ids.#"] != b["ids.#"] || a["query"] != b["query"] {
				return fmt.Errorf("%s: %s ids and query %q, %s: %s and %q", images, a["ids.#"], a["query"], ids, b["ids.#"], b["query"])
			}
			for j := 0; a[fmt.Sprintf("images.%d.id", j)] != ""; j++ {
				if want, got := a[fmt.Sprintf("images.%d.id", j)], b[fmt.Sprintf("ids.%d", j)]; got != want {
					return fmt.Errorf("%s: ids.%d = %s, want %s", ids, j, got, want)
				}
			}
			if _, ok := b["images.#"]; ok {
				return fmt.Errorf("%s has images", ids)
			}
			return nil
		})
	}
	providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{{
		Config: config.String(), Check: resource.ComposeTestCheckFunc(checks...)}}})
	if !providertest.FullMode() {
		queries := env.IMSQueries()
		if n := len(env.Server.RequestsTo("/cloudimages/fuzzy")); n != len(queries) {
			t.Errorf("%d listing requests for %d distinct queries: the two data sources did not share them", n, len(queries))
		}
	}
}

// Warnings are the same as hwc_ims_images': here the one of a ranking open
// to images of any account.
func TestIMSImageIDs_sameWarnings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: hceCatalog()})
	diags := planDiagnostics(t, env.ProviderBlock()+`
data "hwc_ims_image_ids" "x" {
  most_recent = true
}`)
	if n := providertest.CountDiagnostics(diags, "Selection Open to Images of Any Account"); n != 1 {
		t.Errorf("%d warnings, want the one hwc_ims_images gives: %+v", n, diags)
	}
	_ = regexp.MustCompile
}
