variable "koogallery_image_ids" {
  description = "KooGallery images the desktops are built from."
  type        = list(string)
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
