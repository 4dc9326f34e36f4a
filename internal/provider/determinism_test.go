package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// Planning the same configuration twice gives no diff, the same ids and the
// same results, whatever the order in which concurrent batches answer.
func TestDeterminism_samePlanTwice(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	config := env.ProviderBlock() + `
data "hwc_ims_images" "ubuntu" {
  image_type = "gold"
  platform   = "Ubuntu"
  name_regex = "22\\.04"
}
data "hwc_ims_image" "newest" {
  image_type  = "gold"
  most_recent = true
}
data "hwc_workspace_market_images" "m" {
  image_ids = ` + hclList(marketIDs(230)) + `
}
`
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameIDs := statecheck.CompareValue(compare.ValuesSame())
	sameImage := statecheck.CompareValue(compare.ValuesSame())
	sameMarket := statecheck.CompareValue(compare.ValuesSame())
	step := func() resource.TestStep {
		return resource.TestStep{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue("data.hwc_ims_images.ubuntu", tfjsonpath.New("id")),
				sameIDs.AddStateValue("data.hwc_ims_images.ubuntu", tfjsonpath.New("ids")),
				sameImage.AddStateValue("data.hwc_ims_image.newest", tfjsonpath.New("id")),
				sameMarket.AddStateValue("data.hwc_workspace_market_images.m", tfjsonpath.New("images")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}
	}
	// Each step adds its values to the comparisons, which need them all equal.
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: []resource.TestStep{step(), step()}})
}
