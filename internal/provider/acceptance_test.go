package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Tests named TestAcc… run against the real Huawei Cloud: resource.Test
// skips them unless TF_ACC is set, and preCheckCloud unless the HW_*
// settings are there. The provider block is empty: everything comes from the
// environment, as in a user's pipeline.

func preCheckCloud(t *testing.T) {
	if os.Getenv("HW_REGION_NAME") == "" {
		t.Skip("HW_REGION_NAME is not set")
	}
	if os.Getenv("HW_AUTH_TOKEN") == "" && (os.Getenv("HW_ACCESS_KEY") == "" || os.Getenv("HW_SECRET_KEY") == "") {
		t.Skip("neither HW_ACCESS_KEY and HW_SECRET_KEY nor HW_AUTH_TOKEN is set")
	}
}

var cloudFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"hwc": withError(NewProtocolServer("acctest")),
}

func TestAccIMSImage_newestPublicLinuxImage(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { preCheckCloud(t) },
		ProtoV6ProviderFactories: cloudFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "hwc" {}

data "hwc_ims_image" "newest" {
  image_type  = "gold"
  os_type     = "Linux"
  most_recent = true
}

data "hwc_ims_images" "two" {
  image_type = "gold"
  limit      = 2
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.newest", tfjsonpath.New("image_type"), knownvalue.StringExact("gold")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.newest", tfjsonpath.New("id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue("data.hwc_ims_images.two", tfjsonpath.New("images"), knownvalue.ListSizeExact(2)),
			},
		}},
	})
}
