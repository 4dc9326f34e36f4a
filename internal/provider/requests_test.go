package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Listing N images costs ceil(N/500) requests, plus one when the last page
// is exactly full; most_recent alone and limit = k cost one request.
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
			runTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.provider() + c.config, Check: expectRequestsPerProcess(env, c.want)}},
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
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + cfg.String(),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.hwc_ims_images.q13", "images.0.name", "img-0003"),
				resource.TestCheckResourceAttr("data.hwc_ims_images.q29", "images.0.name", "img-0009"),
				expectRequestsPerProcess(env, 10),
			),
		}},
	})
}
