terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}

variable "platform" {
  type = string
}

data "hwc_ims_image" "this" {
  # hwc-migrate: the official provider sent nothing for an argument that is null or "", and hwc refuses "":
  #   == "" ? null : keeps that.
  platform = var.platform == "" ? null : var.platform
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
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

output "image_id" {
  value = data.hwc_ims_image.this.id
}

output "os_version" {
  value = (data.hwc_ims_image.this.os_version == null ? "" : data.hwc_ims_image.this.os_version)
}
