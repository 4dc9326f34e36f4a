# Without require_all, missing IDs are listed in missing_ids; a postcondition
# can then fail the plan with a message of your own.
variable "checked_image_ids" {
  description = "KooGallery images the desktops use."
  type        = list(string)
  default     = ["5681cd18-45f9-45e2-a412-67bf0b69c672", "40194a53-5fc9-42b9-9bfa-618eaf2fe67e"]
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
