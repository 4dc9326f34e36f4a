provider "huaweicloud" {}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

variable "platforms" {
  type    = set(string)
  default = ["Ubuntu", "CentOS"]
}

data "hwc_ims_image" "by_platform" {
  for_each = var.platforms
  # hwc-migrate: the official provider sent nothing for an argument that is null or "", and hwc refuses "":
  #   == "" ? null : keeps that.
  platform = each.key == "" ? null : each.key
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true

  lifecycle {
    postcondition {
      condition     = (self.platform == null ? "" : self.platform) == each.key && (self.min_disk == null ? 0 : self.min_disk) <= 40
      error_message = "The ${each.key} image ${(self.name == null ? "" : self.name)} needs a disk of ${(self.min_disk == null ? 0 : self.min_disk)} GB."
    }
  }
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

data "hwc_ims_image" "pinned" {
  count = var.pin ? 1 : 0
  name  = "CentOS 7.9 64bit"
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
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
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

locals {
  # Image per platform, then the pinned one when there is one.
  by_platform = { for k, img in data.hwc_ims_image.by_platform : k => img.id }
  platforms   = { for k, img in data.hwc_ims_image.by_platform : k => (img.platform == null ? "" : img.platform) }
  pinned_id   = one(data.hwc_ims_image.pinned[*].id)
  pinned_disk = var.pin ? (data.hwc_ims_image.pinned[0].min_disk == null ? 0 : data.hwc_ims_image.pinned[0].min_disk) : null
  all_disks   = [for image in data.hwc_ims_image.pinned : image.min_disk == null ? 0 : image.min_disk]
  private = {
    for i, img in data.hwc_ims_images.private.images :
    (img.name == null ? "" : img.name) => {
      index = i
      os    = (img.platform == null ? "" : img.platform)
      arch  = (img.support_arm == true ? "arm" : "x86")
    }
  }
  big = [
    for img in data.hwc_ims_images.private.images : img.id
    if(img.min_disk == null ? 0 : img.min_disk) > 40 # large disks only
  ]
  names = join(", ", [for image in data.hwc_ims_images.private.images : image.name == null ? "" : image.name])
}

output "summary" {
  value = <<-EOT
    Ubuntu: ${data.hwc_ims_image.by_platform["Ubuntu"].id} (${(data.hwc_ims_image.by_platform["Ubuntu"].os_version == null ? "" : data.hwc_ims_image.by_platform["Ubuntu"].os_version)})
    private images: ${length(data.hwc_ims_images.private.images)}
  EOT
}

output "visibility" {
  value = (data.hwc_ims_image.by_platform["CentOS"].image_type == null ? "" : (data.hwc_ims_image.by_platform["CentOS"].image_type == "gold" ? "public" : data.hwc_ims_image.by_platform["CentOS"].image_type))
}

# hwc-migrate: needs a person: data.hwc_ims_image.by_platform is image data sources used whole: whatever reads its attributes uses the official names, and hwc's differ (os is platform, min_disk_gb is min_disk, …: see the migration guide); convert them by hand, then delete this line
output "whole" {
  value = data.hwc_ims_image.by_platform
}

module "servers" {
  source    = "./servers"
  image_ids = values(local.by_platform)
  disk      = (data.hwc_ims_image.by_platform["Ubuntu"].min_disk == null ? 0 : data.hwc_ims_image.by_platform["Ubuntu"].min_disk)
  providers = {
    huaweicloud = huaweicloud
  }
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
