package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + cfg.String(),
			Check: func(*terraform.State) error {
				got := env.imsQueries()
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
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
					for _, q := range env.imsQueries() {
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
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
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1100)}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_images" "all" {
  name_regex = "^img-(0001|0600|1099)$"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("img-0001")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("name"), knownvalue.StringExact("img-0600")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("images").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("img-1099")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
			Check: env.expectIMSQueries(
				"limit=500&status=active",
				"limit=500&marker=00000000-0000-4000-8000-000000000499&status=active",
				"limit=500&marker=00000000-0000-4000-8000-000000000999&status=active",
			),
		}},
	})
}

func TestIMSImages_refinements(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1100)}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
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
					knownvalue.StringExact("00000000-0000-4000-8000-000000000000"),
					knownvalue.StringExact("00000000-0000-4000-8000-000000000001"),
					knownvalue.StringExact("00000000-0000-4000-8000-000000000002"),
				})),
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex_limited", tfjsonpath.New("images").AtSliceIndex(1).AtMapKey("name"), knownvalue.StringExact("img-0015")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.regex_limited", tfjsonpath.New("images"), knownvalue.ListSizeExact(2)),
			},
			// limit alone is the page size; with name_regex the page is 500
			// and one page holds the two matches.
			Check: env.expectIMSQueriesInclude("limit=3&status=active", "limit=500&status=active"),
		}},
	})
}

func TestIMSImages_mostRecentBreaksTiesByLargerID(t *testing.T) {
	t.Parallel()
	// Three images share the newest second; the emulator lists ties by
	// ascending id, so the answer is the last of them, not the first.
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-000000000001", "tie-a", "2025-05-05T05:05:05Z", nil),
		image("cccccccc-0000-4000-8000-000000000003", "tie-c", "2025-05-05T05:05:05Z", nil),
		image("bbbbbbbb-0000-4000-8000-000000000002", "tie-b", "2025-05-05T05:05:05Z", nil),
	}
	imgs = append(imgs, numberedImages(1200)...)
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
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
			Check: env.expectIMSQueries(
				"limit=500&status=active",
				"limit=500&sort_dir=asc&status=active",
				"limit=500&marker=00000000-0000-4000-8000-000000000700&sort_dir=asc&status=active",
				"limit=500&marker=00000000-0000-4000-8000-000000000200&sort_dir=asc&status=active",
			),
		}},
	})
}
