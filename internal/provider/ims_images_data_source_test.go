package provider

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

// filterCases set each filter of the schema and name the exact query (limit
// aside) that must reach IMS. Every filter of imageFilters must appear.
var filterCases = []struct {
	attrs string // HCL arguments
	query string // canonical query without limit
}{
	{`image_type = "gold"`, "__imagetype=gold"},
	{`is_registered = true`, "__isregistered=true"},
	{`whole_image = false`, "__whole_image=false"},
	{`cmk_id = "83cdb52d-9ebf-4469-9cfa-e7b5b80da846"`, "__system__cmkid=83cdb52d-9ebf-4469-9cfa-e7b5b80da846"},
	{`protected = true`, "protected=true"},
	{`visibility = "private"`, "visibility=private"},
	{`owner = "` + emulator.SharerOwner + `"`, "owner=" + emulator.SharerOwner},
	{`image_id = "6a1f0c2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"`, "id=6a1f0c2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"},
	{`status = "queued"`, "status=queued"},
	{`name = "CentOS 7.9 64bit"`, "name=CentOS%207.9%2064bit"},
	{`flavor_id = "c7.large.2"`, "flavor_id=c7.large.2"},
	{`container_format = "bare"`, "container_format=bare"},
	{`disk_format = "qcow2"`, "disk_format=qcow2"},
	{`min_ram = 2048`, "min_ram=2048"},
	{`min_disk = 40`, "min_disk=40"},
	{`os_bit = "32"`, "__os_bit=32"},
	{`platform = "Huawei Cloud EulerOS"`, "__platform=Huawei%20Cloud%20EulerOS"},
	{`os_type = "Other"`, "__os_type=Other"},
	{`tag = "env=prod"`, "tag=env%3Dprod"},
	{"visibility = \"shared\"\n member_status = \"pending\"", "member_status=pending&visibility=shared"},
	{`support_kvm = true`, "__support_kvm=true"},
	{`support_xen = true`, "__support_xen=true"},
	{`support_largememory = true`, "__support_largememory=true"},
	{`support_diskintensive = true`, "__support_diskintensive=true"},
	{`support_highperformance = true`, "__support_highperformance=true"},
	{`support_xen_gpu_type = "M60_vGPU"`, "__support_xen_gpu_type=M60_vGPU"},
	{`support_kvm_gpu_type = "T4"`, "__support_kvm_gpu_type=T4"},
	{`support_xen_hana = true`, "__support_xen_hana=true"},
	{`support_kvm_infiniband = true`, "__support_kvm_infiniband=true"},
	{`virtual_env_type = "Ironic"`, "virtual_env_type=Ironic"},
	{`enterprise_project_id = "all_granted_eps"`, "enterprise_project_id=all_granted_eps"},
	{`created_after = "2025-01-01T08:00:00+08:00"`, "created_at=gt%3A2025-01-01T00%3A00%3A00Z"},
	{`created_before = "2025-01-01T00:00:00.5Z"`, "created_at=lt%3A2025-01-01T00%3A00%3A00Z"},
	{`updated_after = "2024-12-31T23:59:59Z"`, "updated_at=gt%3A2024-12-31T23%3A59%3A59Z"},
	{`updated_before = "2025-03-01T10:00:00-02:00"`, "updated_at=lt%3A2025-03-01T12%3A00%3A00Z"},
	{`architecture = "arm"`, "architecture=arm"},
	{"sort_key = \"name\"\n sort_dir = \"asc\"", "sort_dir=asc&sort_key=name"},
}

func TestIMSImages_everyFilterReachesTheAPI(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	var cfg strings.Builder
	for i, c := range filterCases {
		for _, line := range strings.Split(c.attrs, "\n") {
			covered[strings.TrimSpace(strings.Split(line, "=")[0])] = true
		}
		// limit = 1 keeps the state small; it is the page size of the query.
		fmt.Fprintf(&cfg, "data \"hwc_ims_images\" \"f%d\" {\n %s\n limit = 1\n}\n", i, c.attrs)
	}
	for _, f := range imageFilters {
		if !covered[f.attr] {
			t.Errorf("filter %s has no case in filterCases", f.attr)
		}
	}

	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + cfg.String(),
			Check: func(*terraform.State) error {
				got := env.IMSQueries()
				for _, c := range filterCases {
					want := withLimit(c.query, 1)
					if !slices.Contains(got, want) {
						return fmt.Errorf("query %q never reached IMS; got %q", want, got)
					}
				}
				if len(got) != len(filterCases) {
					return fmt.Errorf("IMS got %d distinct queries, want %d: %q", len(got), len(filterCases), got)
				}
				return nil
			},
		}},
	})
}

// withLimit adds limit=n to a canonical query, and status=active when it
// has no status (an unset status is sent as active), keeping keys sorted.
func withLimit(query string, n int) string {
	parts := []string{fmt.Sprintf("limit=%d", n)}
	if query != "" {
		parts = append(parts, strings.Split(query, "&")...)
	}
	if !strings.HasPrefix(query, "status=") && !strings.Contains(query, "&status=") {
		parts = append(parts, "status=active")
	}
	slices.Sort(parts)
	return strings.Join(parts, "&")
}

// The emulator serves each filter faithfully, so results can be checked:
// every image returned satisfies the filter.
func TestIMSImages_resultsSatisfyFilters(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "ubuntu_arm" {
  platform     = "Ubuntu"
  architecture = "arm"
  image_type   = "gold"
}
data "hwc_ims_images" "gpu" {
  support_kvm_gpu_type = "T4"
}
data "hwc_ims_images" "no_kvm" {
  image_type  = "gold"
  support_kvm = false
}
data "hwc_ims_images" "window" {
  created_after  = "2025-01-01T00:00:00Z"
  created_before = "2025-02-01T00:00:00Z"
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				eachImage("data.hwc_ims_images.ubuntu_arm", func(a map[string]string) error {
					if a["platform"] != "Ubuntu" || a["support_arm"] != "true" || a["image_type"] != "gold" {
						return fmt.Errorf("platform=%s support_arm=%s image_type=%s", a["platform"], a["support_arm"], a["image_type"])
					}
					return nil
				}),
				eachImage("data.hwc_ims_images.gpu", func(a map[string]string) error {
					if a["support_kvm_gpu_type"] != "T4" {
						return fmt.Errorf("support_kvm_gpu_type=%s", a["support_kvm_gpu_type"])
					}
					return nil
				}),
				eachImage("data.hwc_ims_images.no_kvm", func(a map[string]string) error {
					if a["support_kvm"] == "true" {
						return fmt.Errorf("support_kvm is true")
					}
					return nil
				}),
				eachImage("data.hwc_ims_images.window", func(a map[string]string) error {
					if a["created_at"] <= "2025-01-01T00:00:00Z" || a["created_at"] >= "2025-02-01T00:00:00Z" {
						return fmt.Errorf("created_at %s outside the window", a["created_at"])
					}
					return nil
				}),
				func(*terraform.State) error {
					// support_kvm = false is not sent; the created_before bound is
					// applied by the provider because created_after is set.
					for _, q := range env.IMSQueries() {
						if strings.Contains(q, "__support_kvm=") || strings.Contains(q, "created_at=lt") {
							return fmt.Errorf("unexpected query %s", q)
						}
					}
					return nil
				},
			),
		}},
	})
}

// eachImage checks every element of images of a data source, and that there
// is at least one.
func eachImage(addr string, check func(map[string]string) error) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		attrs := rs.Primary.Attributes
		n := 0
		if _, err := fmt.Sscan(attrs["images.#"], &n); err != nil {
			return fmt.Errorf("%s: images.# = %q", addr, attrs["images.#"])
		}
		if n == 0 {
			return fmt.Errorf("%s: no image, so the check proves nothing", addr)
		}
		for i := 0; i < n; i++ {
			img := map[string]string{}
			prefix := fmt.Sprintf("images.%d.", i)
			for k, v := range attrs {
				if rest, ok := strings.CutPrefix(k, prefix); ok {
					img[rest] = v
				}
			}
			if err := check(img); err != nil {
				return fmt.Errorf("%s images[%d] (%s): %w", addr, i, img["name"], err)
			}
		}
		return nil
	}
}

// fullImage sets every field of the image table to a distinct value, so a field mapped
// from the wrong API field, or converted wrongly, fails the test.
var fullImage = emulator.Image{
	"id": "11111111-2222-4333-8444-555555555555", "name": "full-image", "status": "active",
	"visibility": "private", "owner": "owner-1", "file": "/v2/images/x/file", "self": "/v2/images/x",
	"schema": "/v2/schemas/image", "checksum": "sum-1", "container_format": "bare", "disk_format": "qcow2",
	"virtual_env_type": "FusionCompute", "enterprise_project_id": "ep-1",
	"created_at": "2025-01-02T03:04:05Z", "updated_at": "2025-01-03T03:04:05Z", "active_at": "2025-01-02T03:10:05Z",
	"hw_firmware_type": "uefi", "size": 11, "min_ram": 12, "min_disk": 13, "virtual_size": 14,
	"os_shutdown_timeout": "15", "max_ram": "16", "protected": true, "hw_vif_multiqueue_enabled": "True",
	"tags": []string{"a=b", "c=d"}, "__os_bit": "64", "__os_version": "OS 1", "__os_type": "Linux",
	"__platform": "Debian", "__description": "desc-1", "__imagetype": "private", "__image_source_type": "uds",
	"__originalimagename": "orig-1", "__backup_id": "backup-1", "__productcode": "pc-1", "__data_origin": "file,x",
	"__image_displayname": "display-1", "__os_feature_list": `{"a":"b"}`, "__root_origin": "file",
	"__support_fc_inject": "true", "__system__cmkid": "cmk-1", "__account_code": "acc-1",
	"__support_xen_gpu_type": "M60", "__support_kvm_gpu_type": "T4", "__image_size": "17", "__sequence_num": "18",
	"__isregistered": "TRUE", "__lazyloading": "False", "__is_offshelved": "false", "__system_support_market": true,
	"__support_kvm": "true", "__support_xen": "False", "__support_largememory": "True", "__support_diskintensive": "false",
	"__support_highperformance": "TRUE", "__support_xen_hana": "false", "__support_kvm_infiniband": "True",
	"__support_arm": "true", "__support_amd": "False", "__support_kvm_hi1822_hisriov": "true",
	"__support_kvm_hi1822_hivirtionet": "FALSE", "__support_agent_list": "hss, ces",
}

var fullImageExpect = map[string]knownvalue.Check{
	"id": knownvalue.StringExact("11111111-2222-4333-8444-555555555555"), "name": knownvalue.StringExact("full-image"),
	"status": knownvalue.StringExact("active"), "visibility": knownvalue.StringExact("private"),
	"owner": knownvalue.StringExact("owner-1"), "file": knownvalue.StringExact("/v2/images/x/file"),
	"self": knownvalue.StringExact("/v2/images/x"), "schema": knownvalue.StringExact("/v2/schemas/image"),
	"checksum": knownvalue.StringExact("sum-1"), "container_format": knownvalue.StringExact("bare"),
	"disk_format": knownvalue.StringExact("qcow2"), "virtual_env_type": knownvalue.StringExact("FusionCompute"),
	"enterprise_project_id": knownvalue.StringExact("ep-1"), "created_at": knownvalue.StringExact("2025-01-02T03:04:05Z"),
	"updated_at": knownvalue.StringExact("2025-01-03T03:04:05Z"), "active_at": knownvalue.StringExact("2025-01-02T03:10:05Z"),
	"hw_firmware_type": knownvalue.StringExact("uefi"), "size": knownvalue.Int64Exact(11), "min_ram": knownvalue.Int64Exact(12),
	"min_disk": knownvalue.Int64Exact(13), "virtual_size": knownvalue.Int64Exact(14), "os_shutdown_timeout": knownvalue.Int64Exact(15),
	"max_ram": knownvalue.Int64Exact(16), "protected": knownvalue.Bool(true), "hw_vif_multiqueue_enabled": knownvalue.Bool(true),
	"tags":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("a=b"), knownvalue.StringExact("c=d")}),
	"os_bit": knownvalue.StringExact("64"), "os_version": knownvalue.StringExact("OS 1"), "os_type": knownvalue.StringExact("Linux"),
	"platform": knownvalue.StringExact("Debian"), "description": knownvalue.StringExact("desc-1"),
	"image_type": knownvalue.StringExact("private"), "image_source_type": knownvalue.StringExact("uds"),
	"original_image_name": knownvalue.StringExact("orig-1"), "backup_id": knownvalue.StringExact("backup-1"),
	"product_code": knownvalue.StringExact("pc-1"), "data_origin": knownvalue.StringExact("file,x"),
	"display_name": knownvalue.StringExact("display-1"), "os_feature_list": knownvalue.StringExact(`{"a":"b"}`),
	"root_origin": knownvalue.StringExact("file"), "support_fc_inject": knownvalue.StringExact("true"),
	"cmk_id": knownvalue.StringExact("cmk-1"), "account_code": knownvalue.StringExact("acc-1"),
	"support_xen_gpu_type": knownvalue.StringExact("M60"), "support_kvm_gpu_type": knownvalue.StringExact("T4"),
	"image_size": knownvalue.Int64Exact(17), "sequence_num": knownvalue.Int64Exact(18),
	"is_registered": knownvalue.Bool(true), "lazyloading": knownvalue.Bool(false), "is_offshelved": knownvalue.Bool(false),
	"system_support_market": knownvalue.Bool(true), "support_kvm": knownvalue.Bool(true), "support_xen": knownvalue.Bool(false),
	"support_largememory": knownvalue.Bool(true), "support_diskintensive": knownvalue.Bool(false),
	"support_highperformance": knownvalue.Bool(true), "support_xen_hana": knownvalue.Bool(false),
	"support_kvm_infiniband": knownvalue.Bool(true), "support_arm": knownvalue.Bool(true), "support_amd": knownvalue.Bool(false),
	"support_kvm_hi1822_hisriov": knownvalue.Bool(true), "support_kvm_hi1822_hivirtionet": knownvalue.Bool(false),
	"support_agent_list": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("hss"), knownvalue.StringExact("ces")}),
}

func TestIMSImages_everyResultField(t *testing.T) {
	t.Parallel()
	if len(fullImageExpect) != len(imageFields) {
		t.Fatalf("fullImageExpect has %d attributes, imageFields %d", len(fullImageExpect), len(imageFields))
	}
	sparse := image("99999999-2222-4333-8444-555555555555", "sparse-image", "2024-01-01T00:00:00Z",
		map[string]any{"min_ram": "not a number", "__isregistered": "maybe", "max_ram": "", "tags": nil})
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: []emulator.Image{fullImage, sparse}}})
	var checks []statecheck.StateCheck
	for attr, want := range fullImageExpect {
		checks = append(checks,
			statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey(attr), want),
			statecheck.ExpectKnownValue("data.hwc_ims_image.one", tfjsonpath.New(attr), want))
	}
	for _, attr := range []string{"min_ram", "is_registered", "max_ram", "tags", "description", "support_kvm"} {
		checks = append(checks, statecheck.ExpectKnownValue("data.hwc_ims_images.all",
			tfjsonpath.New("images").AtSliceIndex(1).AtMapKey(attr), knownvalue.Null()))
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.StringExact("11111111-2222-4333-8444-555555555555"), knownvalue.StringExact("99999999-2222-4333-8444-555555555555")})),
		statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("id"), knownvalue.StringRegexp(hex32)),
	)
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "all" {}
data "hwc_ims_image" "one" {
  name = "full-image"
}
`,
			ConfigStateChecks: checks,
		}},
	})
}

func TestIMSImages_pagesAcrossThreeRequests(t *testing.T) {
	t.Parallel()
	// name_regex keeps one image of each page (it also keeps the state
	// small), so the result shows that all three pages were read and joined.
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1101)}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "all" {
  name_regex = "^img-(0001|0600|1099)$"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("img-0001")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("name"), knownvalue.StringExact("img-0600")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("img-1099")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
			Check: env.ExpectIMSQueries(
				"limit=500&status=active",
				"limit=500&marker=00000000-0000-4000-8000-100000000499&status=active",
				"limit=500&marker=00000000-0000-4000-8000-100000000999&status=active",
			),
		}},
	})
}

func TestIMSImages_refinements(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1101)}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "regex" {
  name_regex = "^img-10[0-9]5$"
}
data "hwc_ims_images" "limited" {
  limit = 3
}
data "hwc_ims_images" "regex_limited" {
  name_regex = "5$"
  limit      = 2
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex", tfjsonpath.New("images"), knownvalue.ListSizeExact(10)),
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex", tfjsonpath.New("images").AtSliceIndex(9).AtMapKey("name"), knownvalue.StringExact("img-1095")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.limited", tfjsonpath.New("ids"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("00000000-0000-4000-8000-100000000000"),
					knownvalue.StringExact("00000000-0000-4000-8000-100000000001"),
					knownvalue.StringExact("00000000-0000-4000-8000-100000000002"),
				})),
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex_limited", tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("name"), knownvalue.StringExact("img-0015")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex_limited", tfjsonpath.New("images"), knownvalue.ListSizeExact(2)),
			},
			// limit alone is the page size; with name_regex the page is 500
			// and one page holds the two matches.
			Check: env.ExpectIMSQueriesInclude("limit=3&status=active", "limit=500&status=active"),
		}},
	})
}

func TestIMSImages_mostRecentBreaksTiesByLargerID(t *testing.T) {
	t.Parallel()
	// Three images share the newest second; the emulator lists ties by
	// ascending id, so the answer is the last of them, not the first.
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-100000000001", "tie-a", "2025-05-05T05:05:05Z", nil),
		image("cccccccc-0000-4000-8000-100000000003", "tie-c", "2025-05-05T05:05:05Z", nil),
		image("bbbbbbbb-0000-4000-8000-100000000002", "tie-b", "2025-05-05T05:05:05Z", nil),
	}
	imgs = append(imgs, numberedImages(1200)...)
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "newest" {
  most_recent = true
}
data "hwc_ims_image" "newest" {
  most_recent = true
}
data "hwc_ims_image" "oldest_first" {
  most_recent = true
  sort_dir    = "asc"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.newest", tfjsonpath.New("images"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.hwc_ims_images.newest", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("tie-c")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.newest", tfjsonpath.New("name"), knownvalue.StringExact("tie-c")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.oldest_first", tfjsonpath.New("name"), knownvalue.StringExact("tie-c")),
			},
			// Newest first: one page settles it. Oldest first: the whole
			// listing (3 pages) must be read.
			Check: env.ExpectIMSQueries(
				"limit=500&status=active",
				"limit=500&sort_dir=asc&status=active",
				"limit=500&marker=00000000-0000-4000-8000-100000000700&sort_dir=asc&status=active",
				"limit=500&marker=00000000-0000-4000-8000-100000000200&sort_dir=asc&status=active",
			),
		}},
	})
}

// Listing N images costs ceil(N/500) requests, plus one when the last page
// is exactly full or holds a multiple of 50 images (a gateway's cap could
// have cut it short); most_recent alone and limit = k cost one request.
func TestIMSImages_requestCounts(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		images int
		config string
		want   float64
	}{
		{"499 images", 499, `data "hwc_ims_images" "x" { name_regex = "^img-0000$" }`, 1},
		{"500 images, last page full", 500, `data "hwc_ims_images" "x" { name_regex = "^img-0000$" }`, 2},
		{"1000 images, last page full", 1000, `data "hwc_ims_images" "x" { name_regex = "^img-0000$" }`, 3},
		{"1001 images", 1001, `data "hwc_ims_images" "x" { name_regex = "^img-0000$" }`, 3},
		{"1100 images, last page of 100: one more request checks for a gateway's cap", 1100, `data "hwc_ims_images" "x" { name_regex = "^img-0000$" }`, 4},
		{"most_recent", 1600, `data "hwc_ims_images" "x" { most_recent = true }`, 1},
		{"most_recent, one image", 1600, `data "hwc_ims_image" "x" { most_recent = true }`, 1},
		{"limit 7", 1600, `data "hwc_ims_images" "x" { limit = 7 }`, 1},
		{"limit 120", 1600, `data "hwc_ims_images" "x" { limit = 120 }`, 1},
		{"limit with name_regex", 1600, `data "hwc_ims_images" "x" {
  name_regex = "^img-00"
  limit      = 20
}`, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(c.images)}})
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.ProviderBlock() + c.config, Check: env.ExpectRequestsPerProcess(c.want)}},
			})
		})
	}
}

// 30 data sources over 10 distinct queries send the requests of 10 queries.
func TestIMSImages_identicalQueriesShareRequests(t *testing.T) {
	t.Parallel()
	var cfg strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&cfg, "data \"hwc_ims_images\" \"q%d\" {\n  name = \"img-%04d\"\n}\n", i, i%10)
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(700)}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.hwc_ims_images.q13", "images.0.name", "img-0003"),
				resource.TestCheckResourceAttr("data.hwc_ims_images.q29", "images.0.name", "img-0009"),
				env.ExpectRequestsPerProcess(10),
			),
		}},
	})
}

const ltsRegex = `^Ubuntu \\d+\\.04\\.\\d+ server 64bit$`

// On the Ubuntu LTS family, where a patch build of 22.04 is newer than the
// newest 24.04 release and 24.04.3 was published minutes ago, each attribute
// changes the answer as documented.
func TestSafeSelection_versionOrderAndSoakWindow(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	family := `image_type = "gold"
  name_regex = "` + ltsRegex + `"`
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_image" "by_date" {
  ` + family + `
  most_recent = true
}
data "hwc_ims_image" "by_date_soaked" {
  ` + family + `
  most_recent = true
  min_age     = "72h"
}
data "hwc_ims_image" "by_version_soaked" {
  ` + family + `
  most_recent = true
  order_by    = "version"
  min_age     = "72h"
}
data "hwc_ims_images" "by_version" {
  ` + family + `
  order_by = "version"
}
data "hwc_ims_images" "by_date" {
  ` + family + `
  order_by = "created_at"
  limit    = 3
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 24.04.3 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date_soaked", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 22.04.5 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_version_soaked", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 24.04.2 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Ubuntu 24.04.3 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images").AtSliceIndex(3).AtMapKey("name"), knownvalue.StringExact("Ubuntu 22.04.5 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_date", tfjsonpath.New("images").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("Ubuntu 24.04.2 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=gold&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date_soaked", tfjsonpath.New("query"), knownvalue.StringRegexp(regexp.MustCompile(`^__imagetype=gold&created_at=lt%3A\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ&status=active$`))),
			},
			Check: func(*terraform.State) error {
				// min_age reached the API as created_at=lt:now-72h, cut to the second.
				for _, q := range env.IMSQueries() {
					v, _ := url.ParseQuery(q)
					if lt := v.Get("created_at"); lt != "" {
						at, err := time.Parse("lt:"+selection.APITimeFormat, lt)
						if err != nil {
							return err
						}
						if off := time.Since(at) - 72*time.Hour; off < 0 || off > 2*time.Minute {
							return fmt.Errorf("created_at bound %s is not 72h before now", lt)
						}
					}
				}
				return nil
			},
		}},
	})
}

// min_age and created_before: the earlier bound wins; with created_after, the
// bound is applied by the provider and the stage is named after min_age.
func TestSafeSelection_minAgeBounds(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-100000000001", "fresh", now.Add(-10*time.Minute).Format(time.RFC3339), nil),
		image("aaaaaaaa-0000-4000-8000-100000000002", "week-old", now.Add(-7*24*time.Hour).Format(time.RFC3339), nil),
		image("aaaaaaaa-0000-4000-8000-100000000003", "old", "2024-01-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "soaked" {
  min_age = "1h"
}
data "hwc_ims_images" "before_wins" {
  min_age        = "1h"
  created_before = "2025-01-01T00:00:00Z"
}
data "hwc_ims_images" "with_after" {
  min_age       = "30m"
  created_after = "2023-01-01T00:00:00Z"
}
data "hwc_ims_images" "zero" {
  min_age = "0s"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.soaked", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-100000000002", "aaaaaaaa-0000-4000-8000-100000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.before_wins", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-100000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.before_wins", tfjsonpath.New("query"), knownvalue.StringExact("created_at=lt%3A2025-01-01T00%3A00%3A00Z&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.with_after", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-100000000002", "aaaaaaaa-0000-4000-8000-100000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.with_after", tfjsonpath.New("query"), knownvalue.StringExact("created_at=gt%3A2023-01-01T00%3A00%3A00Z&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.zero", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
		}},
	})
}

func TestSafeSelection_exclusions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(6)}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "x" {
  exclude_ids        = ["00000000-0000-4000-8000-100000000001", "00000000-0000-4000-8000-100000000004", "not-an-image"]
  exclude_name_regex = "0{3}[23]"
}
data "hwc_ims_image" "newest_not_bad" {
  most_recent = true
  exclude_ids = ["00000000-0000-4000-8000-100000000000"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), names(
					"00000000-0000-4000-8000-100000000000", "00000000-0000-4000-8000-100000000005")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("query"), knownvalue.StringExact("status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.newest_not_bad", tfjsonpath.New("id"), knownvalue.StringExact("00000000-0000-4000-8000-100000000001")),
			},
			// Exclusions are applied by the provider: nothing reaches the API.
			Check: env.ExpectIMSQueries("limit=500&status=active"),
		}},
	})
}

// Refinements apply in the order of CONTRIBUTING.md ("Selection order"): limit comes after order_by, and
// most_recent keeps what order_by ranks first.
func TestSafeSelection_orderThenLimit(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-100000000001", "app 1.9", "2025-03-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000002", "app 1.10", "2025-01-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000003", "app 1.10", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000009", "app 1.2", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-100000000004", "app 1.8", "2025-02-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_images" "version" {
  order_by = "version"
  limit    = 3
}
data "hwc_ims_images" "date" {
  order_by = "created_at"
}
data "hwc_ims_image" "highest" {
  order_by    = "version"
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Equal names: the newer first.
				statecheck.ExpectKnownValue("data.hwc_ims_images.version", tfjsonpath.New("ids"), names(
					"aaaaaaaa-0000-4000-8000-100000000003", "aaaaaaaa-0000-4000-8000-100000000002", "aaaaaaaa-0000-4000-8000-100000000001")),
				// Equal created_at: the larger id first.
				statecheck.ExpectKnownValue("data.hwc_ims_images.date", tfjsonpath.New("ids"), names(
					"aaaaaaaa-0000-4000-8000-100000000001", "aaaaaaaa-0000-4000-8000-100000000009", "aaaaaaaa-0000-4000-8000-100000000004",
					"aaaaaaaa-0000-4000-8000-100000000003", "aaaaaaaa-0000-4000-8000-100000000002")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.highest", tfjsonpath.New("id"), knownvalue.StringExact("aaaaaaaa-0000-4000-8000-100000000003")),
			},
		}},
	})
}

// The explained miss, as the docs show it, with one extra request only when
// the first listing cannot tell. want is a regular expression.
func TestSafeSelection_explainedMiss(t *testing.T) {
	t.Parallel()
	// A catalog of its own, so its fresh images are 20 minutes old now.
	env := newTestEnv(t, emulator.Options{Catalog: emulator.GenerateCatalog(1, time.Now())})
	extra := func(want int) func() {
		return func() {
			if got := len(env.IMSQueries()); got != want {
				t.Errorf("%d distinct queries, want %d: %q", got, want, env.IMSQueries())
			}
			env.Server.Reset()
		}
	}
	for _, c := range []struct {
		body    string
		want    string
		queries int
	}{
		{
			body: `image_type = "gold"
  name       = "Ubuntu 24.04.3 server 64bit"
  min_age    = "72h"`,
			want: `No image matches this data source. Query sent to IMS: __imagetype=gold&created_at=lt%3A.*&name=Ubuntu%2024.04.3%20server%2064bit&status=active ` +
				`Images the API returned: 0 The soak window \(min_age = 72h\) held back 1 image\(s\) created after .*; the newest was created 2[01]m ago.`,
			queries: 2,
		},
		{
			body: `name = "Ubuntu 24.04.2 server"`,
			want: `Images the API returned: 0 No image is named "Ubuntu 24.04.2 server". The nearest names: "Ubuntu 24.04.2 server 64bit", "Ubuntu 24.04.1 server 64bit", "Ubuntu 24.04.3 server 64bit". ` +
				`To take the highest version of a family instead of one name, drop name and set name_regex = "\^Ubuntu \(\\\\d\+\\\\.\\\\d\+\\\\.\\\\d\+\) server"`,
			queries: 2,
		},
		{
			body: `image_type    = "gold"
  name_regex    = "^Ubuntu 24\\.04\\.3 "
  created_after = "2024-01-01T00:00:00Z"
  min_age       = "1h"`,
			want:    `Images the API returned: \d+ Removed by name_regex: \d+ Removed by min_age: 1 \(the newest was created 2[01]m ago; min_age = 1h\) The API returned images, but the refinements above removed all of them.`,
			queries: 1,
		},
		{
			body:    `platform = "Windows"`,
			want:    `Query sent to IMS: __platform=Windows&status=active Images the API returned: 0 The API itself returned no image: loosen the filters.`,
			queries: 1,
		},
	} {
		providertest.Run(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      env.ProviderBlock() + "data \"hwc_ims_image\" \"x\" {\n  " + c.body + "\n}\n",
				ExpectError: regexp.MustCompile(strings.Join(strings.Fields(c.want), `\s+`)),
			}},
		})
		extra(c.queries)()
	}
}

// The warning for a ranking open to images of other accounts without owner.
func TestSafeSelection_openSelectionWarning(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args map[string]tftypes.Value
		want bool
	}{
		{map[string]tftypes.Value{"most_recent": yes, "visibility": str("shared")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("shared")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("market")}, true},
		{map[string]tftypes.Value{"most_recent": yes}, true},
		{map[string]tftypes.Value{"order_by": str("version")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("market"), "owner": str(emulator.MarketOwner)}, false},
		{map[string]tftypes.Value{"most_recent": yes, "owner": str(emulator.PublicOwner)}, false},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("gold")}, false},
		{map[string]tftypes.Value{"order_by": str("created_at"), "image_type": str("private")}, false},
		{map[string]tftypes.Value{"visibility": str("shared")}, false},
		{map[string]tftypes.Value{"most_recent": tftypes.NewValue(tftypes.Bool, false)}, false},
	} {
		params, err := imageParams(c.args, time.Now(), "")
		if err != nil {
			t.Fatal(err)
		}
		diags := selectionWarnings(params)
		got := diags.WarningsCount() == 1 && diags[0].Summary() == mostRecentWarningSummary
		if got != c.want || diags.WarningsCount() > 1 {
			t.Errorf("%v: warnings %v, want the open selection warning: %v", c.args, diags, c.want)
		}
	}
}

// Through terraform, the shared image of the second account wins without
// owner; with owner, the trusted publisher's.
func TestSafeSelection_ownerPinsThePublisher(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `
data "hwc_ims_image" "anyone" {
  visibility  = "shared"
  name        = "Ubuntu 24.04 server 64bit hardened"
  most_recent = true
}
data "hwc_ims_image" "trusted" {
  visibility  = "shared"
  name        = "Ubuntu 24.04 server 64bit hardened"
  owner       = "` + emulator.SharerOwner + `"
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.anyone", tfjsonpath.New("owner"), knownvalue.StringExact(emulator.SharerOwner2)),
				statecheck.ExpectKnownValue("data.hwc_ims_image.trusted", tfjsonpath.New("owner"), knownvalue.StringExact(emulator.SharerOwner)),
			},
		}},
	})
}

// The fewest requests: min_age is pushed to the API, and most_recent or
// order_by = "created_at" stop reading once the answer is settled.
func TestSafeSelection_requestCounts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		config string
		want   float64
	}{
		{"most_recent with min_age", `data "hwc_ims_image" "x" {
  most_recent = true
  min_age     = "72h"
}`, 1},
		{"order_by created_at with limit", `data "hwc_ims_images" "x" {
  order_by = "created_at"
  limit    = 10
}`, 1},
		{"order_by version reads everything", `data "hwc_ims_images" "x" {
  order_by = "version"
  limit    = 1
}`, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1601)}})
			providertest.Run(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.ProviderBlock() + c.config, Check: env.ExpectRequestsPerProcess(c.want)}},
			})
		})
	}
}

func TestIMSImages_APIErrorDiagnostic(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Status: 403, Code: "IMG.0403", Message: "Policy doesn't allow ims:images:list to be performed."})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock("max_retries = 3") + `data "hwc_ims_images" "x" {}`,
			ExpectError: regexp.MustCompile(`(?s)Unable to List IMS Images.*HTTP status: 403.*Error code:\s+IMG.0403.*Message:\s+Policy doesn't allow ims:images:list.*Request ID:\s+[0-9a-f]{32}`),
		}},
	})
	if n := env.RequestCount("/cloudimages/fuzzy"); n != 1 {
		t.Errorf("a 403 must not be retried: %d requests", n)
	}
}

func TestIMSImages_retriesThenSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(3)}})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Times: 1, Status: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached", RetryAfter: "3600"})
	env.Server.Inject(emulator.Fault{PathSuffix: "/cloudimages/fuzzy", Times: 1, Status: 503})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_images" "x" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
			Check: func(*terraform.State) error {
				reqs := env.Server.RequestsTo("/cloudimages/fuzzy")
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

// Each warning shows once per data source in the output of a plan.
func TestIMSImages_warningsOncePerPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	diags := planDiagnostics(t, env.ProviderBlock()+`
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
		if n := providertest.CountDiagnostics(diags, summary); n != 1 {
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
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderBlock() + `data "hwc_ims_images" "x" { tags = ["env"] }`,
				ExpectError: regexp.MustCompile(`must be key=value, such as env=prod`),
			},
			{
				Config: env.ProviderBlock() + `
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
					if got, processes := env.IMSRequestsPerProcess(); got != 2 {
						return fmt.Errorf("%.2f IMS requests per process over %d processes, want 2 (one per data source)", got, processes)
					}
					return nil
				},
			},
		},
	})
}

// badFilterCases derives a rejected value for every validator of the filter
// table, so a filter added to the table is covered by the test below.
func badFilterCases() []struct{ body, want string } {
	var cases []struct{ body, want string }
	add := func(body, want string) { cases = append(cases, struct{ body, want string }{body, want}) }
	for _, f := range imageFilters {
		switch {
		case len(f.oneOf()) > 0:
			add(f.attr+` = "not-`+f.oneOf()[0]+`"`, "Attribute "+f.attr+" value must be one of")
		case f.kind == kindInt:
			add(fmt.Sprintf("%s = %d", f.attr, f.whole().min-1), fmt.Sprintf("%s is %d; it must be %s", f.attr, f.whole().min-1, f.whole().Description(context.Background())))
			add(f.attr+" = 10.5", f.attr+" is 10.5; it must be a whole number")
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
	add("support_kvm = true\nsupport_kvm_gpu_type = \"T4\"", `Attribute "support_kvm" cannot be true when "support_kvm_gpu_type" is set`)
	add("support_xen = true\nsupport_kvm_gpu_type = \"T4\"", `Attribute "support_xen" cannot be true when "support_kvm_gpu_type" is set`)
	add("support_kvm = true\nsupport_xen_gpu_type = \"M60\"", `Attribute "support_kvm" cannot be true when "support_xen_gpu_type" is set`)
	add("support_kvm = true\nsupport_xen_hana = true", `Attribute "support_kvm" cannot be true when "support_xen_hana" is set`)
	add("support_xen = true\nsupport_kvm_infiniband = true", `Attribute "support_xen" cannot be true when "support_kvm_infiniband" is set`)
	add(`name_regex = "web-("`, `name_regex is not a valid RE2 regular expression`)
	add(`name_regex = "`+strings.Repeat("a", 1025)+`"`, `name_regex is 1025 characters long; it may be at most 1024`)
	add(`exclude_name_regex = "`+strings.Repeat("(x)", 342)+`"`, `exclude_name_regex is 1026 characters long; it may be at most 1024`)
	add(`is_registered = false`, `is_registered = false is not a filter the API takes: it accepts only true. Leave is_registered unset`)
	add(`limit = 0`, `limit is 0; it must be a whole number, 1 or more`)
	add(`limit = 2.5`, `limit is 2.5; it must be a whole number, 1 or more`)
	add(`min_disk = 1025`, `min_disk is 1025; it must be a whole number from 10 to 1024`)
	add(`exclude_name_regex = "(?<!x)"`, `exclude_name_regex is not a valid RE2 regular expression`)
	add(`exclude_ids = [""]`, `Attribute exclude_ids[Value("")] string length must be at least 1`)
	add(`min_age = "3 days"`, `min_age is "3 days", which is not a duration`)
	add(`min_age = "-1h"`, `min_age is "-1h"; it must be a duration of 0 or more`)
	add(`image_type = "Ironic"`, `got: "Ironic". That is a virtual_env_type: the official provider's image_type is virtual_env_type here`)
	add(`image_type = "public"`, `The official provider's visibility = "public" is image_type = "gold" here`)
	add(`visibility = "market"`, `KooGallery images are image_type = "market" here`)
	add(`order_by = "name"`, `Attribute order_by value must be one of: ["created_at" "updated_at" "version"]`)
	add(`tie_break = "first"`, `Attribute tie_break value must be one of: ["larger_id" "official"]`)
	add("tie_break = \"official\"\norder_by = \"updated_at\"", `tie_break = "official" decides which image most_recent keeps`)
	add("tie_break = \"official\"\nmost_recent = true", `here most_recent is true and order_by is <null>`)
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
					Config:      env.ProviderBlock() + "data \"" + ds + "\" \"x\" {\n" + c.body + "\n}\n",
					ExpectError: providertest.ErrorRE(c.want),
				})
			}
			providertest.Run(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
			env.ExpectNoRequests(t)
		})
	}
}

// order_by = "updated_at" ranks by the last update, as the official
// provider's most_recent does, with ties to the larger id, or with
// tie_break = "official" to the image the official provider keeps (Go's
// sort.Sort over 1,201 images keeps 1100 here: TestRule_officialTies pins
// the rule); it reads every page, since a listing newest-created first says
// nothing of updates.
func TestOrderByUpdatedAt(t *testing.T) {
	t.Parallel()
	images := numberedImages(1201) // created a minute apart, newest first, over 3 pages
	images[1100]["updated_at"] = "2026-01-01T00:00:00Z"
	images[1150]["updated_at"] = "2026-01-01T00:00:00Z" // the same second: the larger id wins
	images[3]["updated_at"] = "2025-12-31T23:59:59Z"
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: images}})
	id := func(i int) string { return images[i]["id"].(string) }
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_image" "x" {
  order_by    = "updated_at"
  most_recent = true
}
data "hwc_ims_images" "x" {
  order_by = "updated_at"
  limit    = 3
}
data "hwc_ims_image" "official" {
  order_by    = "updated_at"
  most_recent = true
  tie_break   = "official"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.x", tfjsonpath.New("id"), knownvalue.StringExact(id(1150))),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), names(id(1150), id(1100), id(3))),
				statecheck.ExpectKnownValue("data.hwc_ims_image.official", tfjsonpath.New("id"), knownvalue.StringExact(id(1100))),
			},
			Check: env.ExpectRequestsPerProcess(3), // both read the 3 pages, once
		}},
	})
}

// Conflicts follow what is sent: support_kvm = false is not sent (it keeps
// images whose flag is not true, on the client), so it may stand beside
// support_kvm_gpu_type, which is.
func TestIMSImages_falseFlagBesideItsConflict(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	providertest.Run(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.ProviderBlock() + `data "hwc_ims_images" "x" {
  support_kvm          = false
  support_xen          = false
  support_kvm_gpu_type = "T4"
}`,
		}},
	})
	for _, r := range env.Server.RequestsTo("/cloudimages/fuzzy") {
		if r.Query.Get("__support_kvm_gpu_type") != "T4" || r.Query.Has("__support_kvm") || r.Query.Has("__support_xen") {
			t.Errorf("query %s: want __support_kvm_gpu_type=T4 and no __support_kvm or __support_xen", r.RawQuery)
		}
	}
}

// A gateway that answers 100 images a page where 500 are asked for: the
// short first page has a cap's size, so one more page is asked for; it has
// images, so the listing goes on 100 at a time, complete, with a warning.
// Without a cap, a last page of such a size costs that one request more,
// and a last page of another size none.
func TestIMSImages_cappedPagesAreFollowed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		images, pageCap, requests int
		warned                    bool
	}{
		{images: 1099, pageCap: 100, requests: 11, warned: true},
		{images: 1100, pageCap: 100, requests: 12, warned: true},
		{images: 300, requests: 2},
		{images: 301, requests: 1},
	} {
		t.Run(fmt.Sprintf("%d images, cap %d", c.images, c.pageCap), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(c.images)}, PageCap: c.pageCap})
			diags := planDiagnostics(t, env.ProviderBlock()+`
data "hwc_ims_images" "all" {
  name_regex = "^img-(0001|0150|1098)$"
}
output "names" {
  value = data.hwc_ims_images.all.images[*].name
}`)
			summary := "IMS Answered Smaller Pages Than Asked For"
			if got := providertest.CountDiagnostics(diags, summary) == 1; got != c.warned || len(diags) != providertest.CountDiagnostics(diags, summary) {
				t.Fatalf("diagnostics %+v, want the warning: %v", diags, c.warned)
			}
			if c.warned && !strings.Contains(diags[0].Detail, "IMS answered 100 images a page where 500 were asked for") {
				t.Errorf("the warning says %q", diags[0].Detail)
			}
			if n := env.RequestCount("/cloudimages/fuzzy"); n != c.requests {
				t.Errorf("%d IMS requests, want %d: %v", n, c.requests, env.IMSQueries())
			}
		})
	}
}
