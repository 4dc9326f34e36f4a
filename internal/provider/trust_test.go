package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Unset status selects active images only; a set status is sent as it is.
func TestIMSImage_activeImagesByDefault(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
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
				for _, q := range env.imsQueries() {
					if !strings.Contains(q, "status=active") && !strings.Contains(q, "status=killed") {
						return fmt.Errorf("a listing without status: %s", q)
					}
				}
				return nil
			},
		}},
	})
}

// Each warning shows once per data source in the output of a plan.
func TestIMSImages_warningsOncePerPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	diags := planDiagnostics(t, env.provider()+`
data "hwc_ims_image" "ubuntu" {
  platform    = "Ubuntu"
  most_recent = true
}
data "hwc_ims_images" "windows" {
  os_type = "Windows"
}
data "hwc_ims_images" "lower" {
  platform = "ubuntu"
}
data "hwc_ims_images" "unknown" {
  platform = "Plan 9"
}
data "hwc_ims_images" "glob" {
  name = "Ubuntu 22.04*"
}`)
	for summary, want := range map[string]string{
		mostRecentWarningSummary:              "neither image_type nor owner is set",
		"Windows Images Are No Longer Listed": `os_type = "Windows" is sent but matches no image`,
		"Platform Spelled Differently":        `platform = "ubuntu": the API matches platforms exactly, letter case included, so this matches no image. Did you mean "Ubuntu"?`,
		"Undocumented Platform":               `platform = "Plan 9" is none of the platforms the IMS API documents: "Windows", "Ubuntu", "Red Hat"`,
		"Name Is Matched Exactly":             `use name_regex, such as name_regex = "^Ubuntu 22\\.04.*"`,
	} {
		if n := countDiagnostics(diags, summary); n != 1 {
			t.Errorf("%q shown %d times, want once: %+v", summary, n, diags)
			continue
		}
		for _, d := range diags {
			if d.Summary == summary && !strings.Contains(d.Detail, want) {
				t.Errorf("%q says %q, want it to say %q", summary, d.Detail, want)
			}
		}
	}
	if len(diags) != 5 {
		t.Errorf("%d diagnostics, want the 5 warnings: %+v", len(diags), diags)
	}
}

// tags: every one must be on the image; one is sent, the rest matched in
// the same single listing.
func TestIMSImages_severalTags(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	var both []string
	for _, img := range emulator.DefaultCatalog().Images {
		tags := fmt.Sprint(img["tags"])
		if img["__imagetype"] == "private" && img["status"] == "active" && strings.Contains(tags, "env=prod") && strings.Contains(tags, "team=web") {
			both = append(both, img["id"].(string))
		}
	}
	if len(both) == 0 {
		t.Fatal("the catalog has no private image tagged env=prod and team=web")
	}
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.provider() + `data "hwc_ims_images" "x" { tags = ["env"] }`,
				ExpectError: regexp.MustCompile(`must be key=value, such as env=prod`),
			},
			{
				Config: env.provider() + `
data "hwc_ims_images" "tags" {
  image_type = "private"
  tags       = ["team=web", "env=prod"]
}
data "hwc_ims_images" "tag_and_tags" {
  image_type = "private"
  tag        = "team=web"
  tags       = ["env=prod"]
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.hwc_ims_images.tags", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(both))),
					statecheck.ExpectKnownValue("data.hwc_ims_images.tag_and_tags", tfjsonpath.New("ids"), knownvalue.ListSizeExact(len(both))),
					statecheck.ExpectKnownValue("data.hwc_ims_images.tags", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=private&status=active&tag=env%3Dprod")),
					statecheck.ExpectKnownValue("data.hwc_ims_images.tag_and_tags", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=private&status=active&tag=team%3Dweb")),
				},
				Check: func(s *terraform.State) error {
					for _, ds := range []string{"data.hwc_ims_images.tags", "data.hwc_ims_images.tag_and_tags"} {
						attrs := s.RootModule().Resources[ds].Primary.Attributes
						for i := range both {
							if id := attrs[fmt.Sprintf("ids.%d", i)]; !strings.Contains(strings.Join(both, " "), id) || id == "" {
								return fmt.Errorf("%s: id %q is not an image with both tags", ds, id)
							}
						}
					}
					// One listing chain of one page each, per provider process.
					if got, processes := env.imsRequestsPerProcess(); got != 2 {
						return fmt.Errorf("%.2f IMS requests per process over %d processes, want 2 (one per data source)", got, processes)
					}
					return nil
				},
			},
		},
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
	config := env.provider()
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				lookups := map[string]int{}
				for _, r := range env.emu.RequestsTo("/v3/projects") {
					lookups[r.Query.Get("name")]++
				}
				processes := lookups["cn-north-4"]
				if processes == 0 || lookups["ap-southeast-3"] != processes || lookups["eu-west-101"] != processes || len(lookups) != 3 {
					return fmt.Errorf("project look-ups %v, want one per region and process", lookups)
				}
				// Four data sources, three regions: the two of cn-north-4 share a page.
				if n := env.requestCount("/cloudimages/fuzzy"); n != 3*processes {
					return fmt.Errorf("%d IMS requests over %d processes, want 3 each", n, processes)
				}
				if n := env.requestCount("/v2/p1ap/market-images"); n != processes {
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
		near := nearestNames(c.name, recs, 3)
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
	near := nearestNames("app-2.4.1", recordsNamed(t, []string{"app-2.4.9", "app-2.4.0", "app-2.4.7"}), 3)
	if fmt.Sprint(near) != `["app-2.4.0" "app-2.4.7" "app-2.4.9"]` {
		t.Errorf("ties: %v", near)
	}
}

// A miss explains that name_regex is case-sensitive when (?i) would match.
func TestIMSImage_caseSensitiveRegexMiss(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.provider() + `data "hwc_ims_image" "x" { name_regex = "^ubuntu 22" }`,
			ExpectError: errorRE(`Removed by name_regex: .* (name_regex is case-sensitive: without regard to letter case, "(?i)^ubuntu 22" would have kept`),
		}},
	})
}

// A Workspace authorization failure shows error_detail and the encoded
// authorization message.
func TestWorkspaceMarketImages_authorizationErrorInFull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.provider(`project_id = "0123456789abcdef0123456789abcdef"`) + `data "hwc_workspace_market_images" "x" { image_ids = ["a"] }`,
			ExpectError: errorRE(`HTTP status: 403 Error code: Workspace.0003 .* Detail: The IAM user has no permission for workspace:images:list .* Encoded authorization message: 4vlILv4Rk1vMHyMSCgk9FpZ9eY7ZmCXa2T5mEhZHJxA`),
		}},
	})
}
