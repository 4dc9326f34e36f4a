package provider

import (
	"fmt"
	"slices"
	"strconv"
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

func hclList(ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = strconv.Quote(id)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// marketIDs returns the ids of the catalog's KooGallery images, last first,
// so the request order differs from the catalog order the API answers in.
func marketIDs(n int) []string {
	cat := emulator.DefaultCatalog().MarketImages
	ids := make([]string, 0, n)
	for i := len(cat) - 1; i >= 0 && len(ids) < n; i-- {
		ids = append(ids, cat[i]["image_id"].(string))
	}
	return ids
}

func TestWorkspaceMarketImages_250IDsInThreeBatches(t *testing.T) {
	t.Parallel()
	known := marketIDs(230)
	unknown := make([]string, 10)
	for i := range unknown {
		unknown[i] = fmt.Sprintf("ffffffff-0000-4000-8000-1%011d", i)
	}
	// 250 entries: the 230 known ids with the unknown ones spread among them,
	// and 10 duplicates; 240 distinct ids make batches of 100, 100 and 40.
	var ids []string
	for i, id := range known {
		ids = append(ids, id)
		if i%23 == 0 {
			ids = append(ids, unknown[i/23])
		}
	}
	ids = append(ids, known[:10]...)
	if len(ids) != 250 {
		t.Fatalf("built %d ids", len(ids))
	}
	byID := map[string]emulator.Image{}
	for _, img := range emulator.DefaultCatalog().MarketImages {
		byID[img["image_id"].(string)] = img
	}

	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + "data \"hwc_workspace_market_images\" \"x\" {\n  image_ids = " + hclList(ids) + "\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images"), knownvalue.ListSizeExact(230)),
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("missing_ids"), knownvalue.ListExact(stringChecks(unknown))),
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("id"), knownvalue.StringRegexp(hex32)),
			},
			Check: func(s *terraform.State) error {
				attrs := s.RootModule().Resources["data.hwc_workspace_market_images.x"].Primary.Attributes
				for i, id := range known {
					p := fmt.Sprintf("images.%d.", i)
					if attrs[p+"image_id"] != id {
						return fmt.Errorf("images[%d] is %s, want %s (request order)", i, attrs[p+"image_id"], id)
					}
					img := byID[id]
					for _, f := range marketImageFields {
						if f.kind == kindStringList {
							continue
						}
						want := "" // an absent field is null, absent from the flat state
						if v, ok := img[f.api]; ok {
							want = fmt.Sprint(v)
						}
						if got := attrs[p+f.attr]; got != want {
							return fmt.Errorf("images[%d].%s = %q, want %q", i, f.attr, got, want)
						}
					}
					tags := img["tags"].([]string)
					if attrs[p+"tags.#"] != strconv.Itoa(len(tags)) || attrs[p+"tags.0"] != tags[0] {
						return fmt.Errorf("images[%d].tags wrong", i)
					}
				}
				// One read makes 3 requests of at most 100 distinct ids each.
				reqs := env.Server.RequestsTo("/market-images")
				sizes := map[int]int{}
				for _, r := range reqs {
					sizes[len(r.Query["image_ids"])]++
				}
				if sizes[100] == 0 || sizes[40] == 0 || len(sizes) != 2 || sizes[100] != 2*sizes[40] {
					return fmt.Errorf("batch sizes %v, want 100, 100 and 40 per read", sizes)
				}
				return nil
			},
		}},
	})
}

func TestWorkspaceMarketImages_everyField(t *testing.T) {
	t.Parallel()
	img := emulator.Image{
		"image_id": "11111111-aaaa-4bbb-8ccc-100000000001", "name": "n-1", "status": "active",
		"created_at": "2024-01-02T03:04:05Z", "updated_at": "2024-02-02T03:04:05Z", "product_code": "pc-1",
		"market_resource_type_code": "rt-1", "market_service_type_code": "st-1", "os_type": "Linux", "os_bit": "64",
		"os_version": "Ubuntu 22.04 server 64bit", "platform": "Ubuntu", "image_type": "gold",
		"min_disk": 40, "min_ram": "2048", "max_ram": "65536", "image_size": "123456789", "tags": []string{"a=1", "b=2"},
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{MarketImages: []emulator.Image{img}}})
	want := map[string]knownvalue.Check{
		"image_id": knownvalue.StringExact("11111111-aaaa-4bbb-8ccc-100000000001"), "name": knownvalue.StringExact("n-1"),
		"status": knownvalue.StringExact("active"), "created_at": knownvalue.StringExact("2024-01-02T03:04:05Z"),
		"updated_at": knownvalue.StringExact("2024-02-02T03:04:05Z"), "product_code": knownvalue.StringExact("pc-1"),
		"market_resource_type_code": knownvalue.StringExact("rt-1"), "market_service_type_code": knownvalue.StringExact("st-1"),
		"os_type": knownvalue.StringExact("Linux"), "os_bit": knownvalue.StringExact("64"),
		"os_version": knownvalue.StringExact("Ubuntu 22.04 server 64bit"), "platform": knownvalue.StringExact("Ubuntu"),
		"image_type": knownvalue.StringExact("gold"), "min_disk": knownvalue.Int64Exact(40), "min_ram": knownvalue.Int64Exact(2048),
		"max_ram": knownvalue.Int64Exact(65536), "image_size": knownvalue.Int64Exact(123456789),
		"tags": knownvalue.ListExact(stringChecks([]string{"a=1", "b=2"})),
	}
	if len(want) != len(marketImageFields) {
		t.Fatalf("%d expectations for %d fields", len(want), len(marketImageFields))
	}
	var checks []statecheck.StateCheck
	for attr, w := range want {
		checks = append(checks, statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey(attr), w))
	}
	checks = append(checks, statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("missing_ids"), knownvalue.ListSizeExact(0)))
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            env.ProviderBlock() + `data "hwc_workspace_market_images" "x" { image_ids = ["11111111-aaaa-4bbb-8ccc-100000000001"] }`,
			ConfigStateChecks: checks,
		}},
	})
}

func TestWorkspaceMarketImages_requireAll(t *testing.T) {
	t.Parallel()
	known := marketIDs(3)
	missing := make([]string, 25)
	for i := range missing {
		missing[i] = fmt.Sprintf("eeeeeeee-0000-4000-8000-1%011d", i)
	}
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.ProviderBlock() + "data \"hwc_workspace_market_images\" \"x\" {\n image_ids = " + hclList(append(slices.Clone(known), missing...)) + "\n require_all = true\n}\n",
				ExpectError: providertest.ErrorRE("KooGallery Images Not Found .* 25 of the 28 requested images do not exist or are not visible to this project: " +
					strings.Join(missing[:20], ", ") + " and 5 more."),
			},
			{
				Config: env.ProviderBlock() + "data \"hwc_workspace_market_images\" \"x\" {\n image_ids = " + hclList(known) + "\n require_all = true\n}\n",
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("missing_ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}

func TestWorkspaceMarketImages_batchRetriedThenSucceeds(t *testing.T) {
	t.Parallel()
	ids := marketIDs(150)
	env := newTestEnv(t, emulator.Options{})
	// The second batch (ids 100 to 149) fails twice, then succeeds.
	env.Server.Inject(emulator.Fault{PathSuffix: "/market-images", QueryContains: ids[120], Times: 2, Status: 500, Code: "Workspace.0500", Message: "internal error"})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + "data \"hwc_workspace_market_images\" \"x\" {\n image_ids = " + hclList(ids) + "\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images"), knownvalue.ListSizeExact(150)),
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images").AtSliceIndex(120).AtMapKey("image_id"), knownvalue.StringExact(ids[120])),
			},
			Check: func(*terraform.State) error {
				// The first read: batch 2 answered 500, 500, 200; batch 1 200 once.
				statuses := map[bool][]int{}
				for _, r := range env.Server.RequestsTo("/market-images")[:4] {
					inSecond := slices.Contains(r.Query["image_ids"], ids[120])
					statuses[inSecond] = append(statuses[inSecond], r.Status)
				}
				if !slices.Equal(statuses[true], []int{500, 500, 200}) || !slices.Equal(statuses[false], []int{200}) {
					return fmt.Errorf("statuses by batch %v", statuses)
				}
				return nil
			},
		}},
	})
}

func TestWorkspaceMarketImages_batchFailsForGood(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/market-images", Status: 500, Code: "Workspace.0500", Message: "internal error"})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock("max_retries = 2") + "data \"hwc_workspace_market_images\" \"x\" {\n image_ids = " + hclList(marketIDs(150)) + "\n}\n",
			ExpectError: providertest.ErrorRE("Unable to Get KooGallery Images .* HTTP status: 500 Error code: Workspace.0500 Message: internal error Request ID: .* Attempts: 3"),
		}},
	})
}

func TestWorkspaceMarketImages_badInputSendsNoRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.ProviderBlock() + `data "hwc_workspace_market_images" "x" { image_ids = [""] }`, ExpectError: providertest.ErrorRE("Attribute image_ids[0] string length must be at least 1")},
			{Config: env.ProviderBlock() + `data "hwc_workspace_market_images" "x" {}`, ExpectError: providertest.ErrorRE(`The argument "image_ids" is required`)},
		},
	})
	env.ExpectNoRequests(t)
}

// An empty list of ids, as a module variable that defaults to [] gives,
// sends no request (not even the project look-up) and reads empty images
// and missing_ids, with require_all too.
func TestWorkspaceMarketImages_emptyIDsSendNothing(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
variable "ids" {
  type    = list(string)
  default = []
}

data "hwc_workspace_market_images" "x" {
  image_ids   = var.ids
  require_all = true
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("images"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.hwc_workspace_market_images.x", tfjsonpath.New("missing_ids"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
	env.ExpectNoRequests(t)
}

// A Workspace authorization failure shows error_detail and the encoded
// authorization message.
func TestWorkspaceMarketImages_authorizationErrorInFull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock(`project_id = "0123456789abcdef0123456789abcdef"`) + `data "hwc_workspace_market_images" "x" { image_ids = ["a"] }`,
			ExpectError: providertest.ErrorRE(`HTTP status: 403 Error code: Workspace.0003 .* Detail: The IAM user has no permission for workspace:images:list .* Encoded authorization message: 4vlILv4Rk1vMHyMSCgk9FpZ9eY7ZmCXa2T5mEhZHJxA`),
		}},
	})
}
