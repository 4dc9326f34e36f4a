# Without require_all, missing IDs are listed in missing_ids; a postcondition
# can then fail the plan with a message of your own.
variable "checked_image_ids" {
  description = "KooGallery images the desktops use."
  type        = list(string)
  default     = ["f03b3a88-3852-46a9-af7f-515e434f565b", "caacd009-8ea9-4990-ade4-ff23aca6fa65"]
}

data "hwc_workspace_market_images" "checked" {
  image_ids = var.checked_image_ids

  lifecycle {
    postcondition {
      condition     = length(self.missing_ids) == 0
      error_message = "KooGallery images disappeared: ${join(", ", self.missing_ids)}. Pick replacements before applying."
    }
  }
}
