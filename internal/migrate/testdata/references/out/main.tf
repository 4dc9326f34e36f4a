provider "huaweicloud" {}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
}

variable "platforms" {
  type    = set(string)
  default = ["Ubuntu", "CentOS"]
}

data "hwc_ims_image" "by_platform" {
  for_each = var.platforms
  platform = each.key
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  # hwc-migrate: the official most_recent keeps the image updated last (its ties fall at random, here to
  #   the larger id). To take the highest release instead, use order_by = "version", and min_age = "72h"
  #   to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  most_recent = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official provider sent every enterprise project you may see when enterprise_project_id was unset.
  enterprise_project_id = "all_granted_eps"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"

  lifecycle {
    postcondition {
      condition     = self.platform == each.key && self.min_disk <= 40
      error_message = "The ${each.key} image ${self.name} needs a disk of ${self.min_disk} GB."
    }
  }
}

data "hwc_ims_image" "pinned" {
  count = var.pin ? 1 : 0
  name  = "CentOS 7.9 64bit"
  # hwc-migrate: the official most_recent keeps the image updated last (its ties fall at random, here to
  #   the larger id). To take the highest release instead, use order_by = "version", and min_age = "72h"
  #   to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  most_recent = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official provider sent every enterprise project you may see when enterprise_project_id was unset.
  enterprise_project_id = "all_granted_eps"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

variable "pin" {
  type    = bool
  default = true
}

data "hwc_ims_images" "private" {
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "private"
  tag        = "app=webapp"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official provider sent every enterprise project you may see when enterprise_project_id was unset.
  enterprise_project_id = "all_granted_eps"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

locals {
  # Image per platform, then the pinned one when there is one.
  by_platform = { for k, img in data.hwc_ims_image.by_platform : k => img.id }
  platforms   = { for k, img in data.hwc_ims_image.by_platform : k => img.platform }
  pinned_id   = one(data.hwc_ims_image.pinned[*].id)
  pinned_disk = var.pin ? data.hwc_ims_image.pinned[0].min_disk : null
  all_disks   = data.hwc_ims_image.pinned[*].min_disk
  private = {
    for i, img in data.hwc_ims_images.private.images :
    img.name => {
      index = i
      os    = img.platform
      arch  = (img.support_arm == true ? "arm" : "x86")
    }
  }
  big = [
    for img in data.hwc_ims_images.private.images : img.id
    if img.min_disk > 40 # large disks only
  ]
  names = join(", ", data.hwc_ims_images.private.images[*].name)
}

output "summary" {
  value = <<-EOT
    Ubuntu: ${data.hwc_ims_image.by_platform["Ubuntu"].id} (${data.hwc_ims_image.by_platform["Ubuntu"].os_version})
    private images: ${length(data.hwc_ims_images.private.images)}
  EOT
}

output "visibility" {
  value = (data.hwc_ims_image.by_platform["CentOS"].image_type == "gold" ? "public" : data.hwc_ims_image.by_platform["CentOS"].image_type)
}

output "whole" {
  value = data.hwc_ims_image.by_platform
}

module "servers" {
  source    = "./servers"
  image_ids = values(local.by_platform)
  disk      = data.hwc_ims_image.by_platform["Ubuntu"].min_disk
  providers = {
    huaweicloud = huaweicloud
    hwc = hwc
  }
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
