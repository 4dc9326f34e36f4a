package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

func TestIMSImage_computedFiltersKeepConfiguredValues(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-000000000001", "web-1.0", "2025-01-01T00:00:00Z", map[string]any{"min_ram": 4096, "__platform": "Ubuntu"}),
		image("aaaaaaaa-0000-4000-8000-000000000002", "web-1.1", "2025-02-01T00:00:00Z", map[string]any{"min_ram": 8192, "__platform": "Ubuntu"}),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_image" "web" {
  min_ram     = 2048
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// min_ram keeps what was configured; the rest holds the image's values.
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("min_ram"), knownvalue.Int64Exact(2048)),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("name"), knownvalue.StringExact("web-1.1")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("id"), knownvalue.StringExact("aaaaaaaa-0000-4000-8000-000000000002")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("platform"), knownvalue.StringExact("Ubuntu")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("image_id"), knownvalue.Null()),
			},
		}},
	})
}

func TestIMSImage_errors(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-000000000001", "web-1.0", "2025-01-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000002", "web-1.1", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000003", "db-1.0", "2025-03-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.provider() + `
data "hwc_ims_image" "x" {
  name = "web-2.0"
}`,
				ExpectError: errorRE("No IMS Image Matches .* Query sent to IMS: name=web-2.0&status=active Images the API returned: 0"),
			},
			{
				Config: env.provider() + `
data "hwc_ims_image" "x" {
  visibility = "private"
  name_regex = "^web-3"
}`,
				ExpectError: errorRE("Query sent to IMS: status=active&visibility=private Images the API returned: 3 Removed by name_regex: 3"),
			},
			{
				Config: env.provider() + `
data "hwc_ims_image" "x" {
  name_regex = "^web-"
}`,
				ExpectError: errorRE(`Several IMS Images Match .* "web-1.1" (aaaaaaaa-0000-4000-8000-000000000002) and "web-1.0" .* set most_recent = true`),
			},
		},
	})
}

func TestIMSImages_APIErrorDiagnostic(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.emu.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 403, Code: "IMG.0403", Message: "Policy doesn't allow ims:images:list to be performed."})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.provider("max_retries = 3") + `data "hwc_ims_images" "x" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unable to List IMS Images.*HTTP status: 403.*Error code:\s+IMG.0403.*Message:\s+Policy doesn't allow ims:images:list.*Request ID:\s+[0-9a-f]{32}`),
		}},
	})
	if n := env.requestCount("/cloudimages/fuzzy"); n != 1 {
		t.Errorf("a 403 must not be retried: %d requests", n)
	}
}

func TestIMSImages_retriesThenSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(3)}})
	env.emu.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Times: 1, Status: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached", RetryAfter: "3600"})
	env.emu.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Times: 1, Status: 503})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `data "hwc_ims_images" "x" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
			Check: func(*terraform.State) error {
				reqs := env.emu.RequestsTo("/cloudimages/fuzzy")
				if len(reqs) < 3 || reqs[0].Status != 429 || reqs[1].Status != 503 || reqs[2].Status != 200 {
					return fmt.Errorf("want 429, 503, then 200; got %d requests", len(reqs))
				}
				if reqs[0].Header.Get("X-Sdk-Date") == "" || reqs[2].Header.Get("Authorization") == "" {
					return fmt.Errorf("retries must be signed")
				}
				return nil
			},
		}},
	})
}
