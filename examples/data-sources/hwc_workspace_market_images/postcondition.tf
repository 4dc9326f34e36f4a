# Without require_all, missing IDs are listed in missing_ids; a postcondition
# can then fail the plan with a message of your own.
data "hwc_workspace_market_images" "checked" {
  image_ids = var.koogallery_image_ids

  lifecycle {
    postcondition {
      condition     = length(self.missing_ids) == 0
      error_message = "KooGallery images disappeared: ${join(", ", self.missing_ids)}. Pick replacements before applying."
    }
  }
}
