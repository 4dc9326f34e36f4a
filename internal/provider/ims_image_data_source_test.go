package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

func TestIMSImage_computedFiltersKeepConfiguredValues(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-100000000001", "web-1.0", "2025-01-01T00:00:00Z", map[string]any{"min_ram": 4096, "__platform": "Ubuntu"}),
		image("aaaaaaaa-0000-4000-8000-100000000002", "web-1.1", "2025-02-01T00:00:00Z", map[string]any{"min_ram": 8192, "__platform": "Ubuntu"}),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_image" "web" {
  min_ram     = 2048
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// min_ram keeps what was configured; the rest holds the image's values.
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("min_ram"), knownvalue.Int64Exact(2048)),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("name"), knownvalue.StringExact("web-1.1")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("id"), knownvalue.StringExact("aaaaaaaa-0000-4000-8000-100000000002")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("platform"), knownvalue.StringExact("Ubuntu")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.web", tfjsonpath.New("image_id"), knownvalue.Null()),
			},
		}},
	})
}

func TestIMSImage_errors(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-100000000001", "web-1.0", "2025-01-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000002", "web-1.1", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000003", "db-1.0", "2025-03-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderBlock() + `
data "hwc_ims_image" "x" {
  name = "web-2.0"
}`,
				ExpectError: providertest.ErrorRE("No IMS Image Matches .* Query sent to IMS: name=web-2.0&status=active Images the API returned: 0"),
			},
			{
				Config: env.ProviderBlock() + `
data "hwc_ims_image" "x" {
  visibility = "private"
  name_regex = "^web-3"
}`,
				ExpectError: providertest.ErrorRE("Query sent to IMS: status=active&visibility=private Images the API returned: 3 Removed by name_regex: 3"),
			},
			{
				Config: env.ProviderBlock() + `
data "hwc_ims_image" "x" {
  name_regex = "^web-"
}`,
				ExpectError: providertest.ErrorRE(`Several IMS Images Match .* "web-1.1" (aaaaaaaa-0000-4000-8000-100000000002) and "web-1.0" .* set most_recent = true`),
			},
		},
	})
}

// Unset status selects active images only; a set status is sent as it is.
func TestIMSImage_activeImagesByDefault(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_image" "webapp" {
  image_type  = "private"
  name_regex  = "^webapp"
  most_recent = true
}
data "hwc_ims_images" "killed" {
  image_type = "private"
  status     = "killed"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.webapp", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.webapp", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=private&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.killed", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=private&status=killed")),
			},
			Check: func(*terraform.State) error {
				for _, q := range env.IMSQueries() {
					if !strings.Contains(q, "status=active") && !strings.Contains(q, "status=killed") {
						return fmt.Errorf("a listing without status: %s", q)
					}
				}
				return nil
			},
		}},
	})
}

// One configuration reads the same image in three regions: each region has
// its own project, looked up once, and its own pages.
func TestIMSImage_threeRegions(t *testing.T) {
	t.Parallel()
	const name = "Ubuntu 22.04 server 64bit"
	catalog := func(id string) *emulator.Catalog {
		return &emulator.Catalog{
			Images:       []emulator.Image{image(id, name, "2025-01-01T00:00:00Z", nil)},
			MarketImages: []emulator.Image{{"image_id": "m-" + id, "name": "m"}},
		}
	}
	env := newTestEnv(t, emulator.Options{
		Projects: map[string]string{"cn-north-4": "p0cn", "ap-southeast-3": "p1ap", "eu-west-101": "p2eu"},
		Catalog:  catalog("id-cn"),
		RegionCatalogs: map[string]*emulator.Catalog{
			"ap-southeast-3": catalog("id-ap"),
			"eu-west-101":    catalog("id-eu"),
		},
	})
	config := env.ProviderBlock()
	var checks []statecheck.StateCheck
	for _, r := range []struct{ label, region, id string }{
		{"default", "", "id-cn"}, {"cn", "cn-north-4", "id-cn"}, {"ap", "ap-southeast-3", "id-ap"}, {"eu", "eu-west-101", "id-eu"},
	} {
		region := ""
		if r.region != "" {
			region = fmt.Sprintf("region = %q", r.region)
		}
		config += fmt.Sprintf("data \"hwc_ims_image\" %q {\n  name = %q\n  %s\n}\n", r.label, name, region)
		checks = append(checks,
			statecheck.ExpectKnownValue("data.hwc_ims_image."+r.label, tfjsonpath.New("id"), knownvalue.StringExact(r.id)),
			statecheck.ExpectKnownValue("data.hwc_ims_image."+r.label, tfjsonpath.New("region"), knownvalue.StringExact(map[string]string{"": "cn-north-4"}[r.region]+r.region)))
	}
	config += `data "hwc_workspace_market_images" "ap" {
  region    = "ap-southeast-3"
  image_ids = ["m-id-ap", "m-id-cn"]
}`
	checks = append(checks, statecheck.ExpectKnownValue("data.hwc_workspace_market_images.ap", tfjsonpath.New("missing_ids"),
		knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("m-id-cn")})))
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				lookups := map[string]int{}
				for _, r := range env.Server.RequestsTo("/v3/projects") {
					lookups[r.Query.Get("name")]++
				}
				processes := lookups["cn-north-4"]
				if processes == 0 || lookups["ap-southeast-3"] != processes || lookups["eu-west-101"] != processes || len(lookups) != 3 {
					return fmt.Errorf("project look-ups %v, want one per region and process", lookups)
				}
				// Four data sources, three regions: the two of cn-north-4 share a page.
				if n := env.RequestCount("/cloudimages/fuzzy"); n != 3*processes {
					return fmt.Errorf("%d IMS requests over %d processes, want 3 each", n, processes)
				}
				if n := env.RequestCount("/v2/p1ap/market-images"); n != processes {
					return fmt.Errorf("%d KooGallery requests in ap-southeast-3, want %d", n, processes)
				}
				return nil
			},
		}},
	})
}

// The nearest names of a miss share a prefix and close version numbers.
func TestNearestNames_realMisses(t *testing.T) {
	t.Parallel()
	var page []string
	for _, img := range emulator.DefaultCatalog().Images {
		page = append(page, fmt.Sprint(img["name"]))
	}
	recs := recordsNamed(t, page)
	for _, c := range []struct{ name, first, all string }{
		{"webapp-2.4.1", "webapp-2.", "webapp-"},
		{"Ubuntu 22.04*", "Ubuntu 22.04", "Ubuntu 22.04"},
		{"ubuntu 24.04 server", "Ubuntu 24.04", "Ubuntu"},
		{"CentOS 7.8 64bit", "CentOS 7.", "CentOS"},
		{"api-gateway-3.0", "api-gateway-3.", "api-gateway-"},
	} {
		near := nearestNames(c.name, recs, 3, func(s string) string { return s })
		if len(near) != 3 || !strings.HasPrefix(strings.Trim(near[0], `"`), c.first) {
			t.Errorf("%q: the nearest names are %v; want the first to start with %q", c.name, near, c.first)
			continue
		}
		for _, n := range near {
			if !strings.HasPrefix(strings.Trim(n, `"`), c.all) {
				t.Errorf("%q: the nearest names are %v; want each to start with %q", c.name, near, c.all)
				break
			}
		}
	}
	// Among names equally near, the closer version comes first.
	near := nearestNames("app-2.4.1", recordsNamed(t, []string{"app-2.4.9", "app-2.4.0", "app-2.4.7"}), 3, func(s string) string { return s })
	if fmt.Sprint(near) != `["app-2.4.0" "app-2.4.7" "app-2.4.9"]` {
		t.Errorf("ties: %v", near)
	}
}

// A miss explains that name_regex is case-sensitive when (?i) would match.
func TestIMSImage_caseSensitiveRegexMiss(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock() + `data "hwc_ims_image" "x" { name_regex = "^ubuntu 22" }`,
			ExpectError: providertest.ErrorRE(`Removed by name_regex: .* (name_regex is case-sensitive: without regard to letter case, "(?i)^ubuntu 22" would have kept`),
		}},
	})
}
