variable "koogallery_image_ids" {
  description = "KooGallery images the desktops are built from."
  type        = list(string)
  default     = ["5681cd18-45f9-45e2-a412-67bf0b69c672", "40194a53-5fc9-42b9-9bfa-618eaf2fe67e", "5f9968fa-cdbc-47f0-9055-22fa3fb55b8f"]
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
