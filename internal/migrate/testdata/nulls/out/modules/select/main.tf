# Arguments a caller may leave out: each defaults to null, which the official
# provider treats as unset (and "" too).
variable "platform" {
  type = string
}

variable "enterprise_project_id" {
  type    = string
  default = null
}

variable "sort_key" {
  type    = string
  default = null
}

variable "sort_direction" {
  type    = string
  default = null
}

variable "newest" {
  type    = bool
  default = null
}

variable "whole" {
  type    = bool
  default = null
}

data "hwc_ims_image" "this" {
  # hwc-migrate: the official provider sent nothing for an argument that is null or "", and hwc refuses "":
  #   == "" ? null : keeps that.
  platform              = var.platform == "" ? null : var.platform
  enterprise_project_id = var.enterprise_project_id == "" ? null : var.enterprise_project_id
  # hwc-migrate: the official provider took "name" when sort_key was null, and sent nothing for "".
  sort_key = var.sort_key == null ? "name" : (var.sort_key == "" ? null : var.sort_key)
  # hwc-migrate: the official provider took "asc" when sort_direction was null, and sent nothing for "".
  sort_dir = var.sort_direction == null ? "asc" : (var.sort_direction == "" ? null : var.sort_direction)
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = tobool(var.newest) == true
  # hwc-migrate: the official provider sent is_whole_image only when true.
  whole_image = tobool(var.whole) == true ? true : null
  # hwc-migrate: dropped name_regex            = "": the official provider sent nothing for "".
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
}

# hwc-migrate: needs a person: data.hwc_ims_image.this.enterprise_project_id: the official provider read the image's enterprise project, hwc_ims_image keeps the one configured as a filter
output "image" {
  value = {
    id       = data.hwc_ims_image.this.id
    max_ram  = (data.hwc_ims_image.this.max_ram == null ? 0 : (floor(data.hwc_ims_image.this.max_ram) == data.hwc_ims_image.this.max_ram ? data.hwc_ims_image.this.max_ram : 0))
    eps      = data.hwc_ims_image.this.enterprise_project_id
    sort_key = data.hwc_ims_image.this.sort_key
  }
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
