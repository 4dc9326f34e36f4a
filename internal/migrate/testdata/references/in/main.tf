provider "huaweicloud" {}

variable "platforms" {
  type    = set(string)
  default = ["Ubuntu", "CentOS"]
}

data "huaweicloud_images_image" "by_platform" {
  for_each    = var.platforms
  os          = each.key
  visibility  = "public"
  most_recent = true

  lifecycle {
    postcondition {
      condition     = self.os == each.key && self.min_disk_gb <= 40
      error_message = "The ${each.key} image ${self.name} needs a disk of ${self.min_disk_gb} GB."
    }
  }
}

data "huaweicloud_images_image" "pinned" {
  count       = var.pin ? 1 : 0
  name        = "CentOS 7.9 64bit"
  most_recent = true
}

variable "pin" {
  type    = bool
  default = true
}

data "huaweicloud_images_images" "private" {
  visibility = "private"
  tag        = "app=webapp"
}

locals {
  # Image per platform, then the pinned one when there is one.
  by_platform = { for k, img in data.huaweicloud_images_image.by_platform : k => img.id }
  platforms   = { for k, img in data.huaweicloud_images_image.by_platform : k => img.os }
  pinned_id   = one(data.huaweicloud_images_image.pinned[*].id)
  pinned_disk = var.pin ? data.huaweicloud_images_image.pinned[0].min_disk_gb : null
  all_disks   = data.huaweicloud_images_image.pinned[*].min_disk_gb
  private = {
    for i, img in data.huaweicloud_images_images.private.images :
    img.name => {
      index = i
      os    = img.os
      arch  = img.architecture
    }
  }
  big = [
    for img in data.huaweicloud_images_images.private.images : img.id
    if img.min_disk_gb > 40 # large disks only
  ]
  names = join(", ", data.huaweicloud_images_images.private.images[*].name)
}

output "summary" {
  value = <<-EOT
    Ubuntu: ${data.huaweicloud_images_image.by_platform["Ubuntu"].id} (${data.huaweicloud_images_image.by_platform["Ubuntu"].os_version})
    private images: ${length(data.huaweicloud_images_images.private.images)}
  EOT
}

output "visibility" {
  value = data.huaweicloud_images_image.by_platform["CentOS"].visibility
}

output "whole" {
  value = data.huaweicloud_images_image.by_platform
}

module "servers" {
  source    = "./servers"
  image_ids = values(local.by_platform)
  disk      = data.huaweicloud_images_image.by_platform["Ubuntu"].min_disk_gb
  providers = {
    huaweicloud = huaweicloud
  }
}
