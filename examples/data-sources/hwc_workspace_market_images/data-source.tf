variable "koogallery_image_ids" {
  description = "KooGallery images the desktops are built from."
  type        = list(string)
  default     = ["f03b3a88-3852-46a9-af7f-515e434f565b", "caacd009-8ea9-4990-ade4-ff23aca6fa65", "9ed70e5d-ccbc-4e03-8596-d45a2605a0ee"]
}

# require_all = true fails the plan when an image was taken down or is not
# visible to this project, naming the missing IDs.
data "hwc_workspace_market_images" "desktops" {
  image_ids   = var.koogallery_image_ids
  require_all = true
}

output "desktop_images" {
  value = { for img in data.hwc_workspace_market_images.desktops.images : img.image_id => img.name }
}
