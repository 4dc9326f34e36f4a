terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.60.0"
    }
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region = "cn-north-4"
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

# The newest Ubuntu 22.04 public image.
data "hwc_ims_image" "ubuntu" {
  name_regex = "^Ubuntu 22.04" # any build
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  platform   = "Ubuntu"
  # hwc-migrate: dropped os_version  = "Ubuntu 22.04 server 64bit": the official provider never sent it to the API (it is only read back), so it selected nothing.
  architecture = "x86"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

// Every other argument of the singular.
data "hwc_ims_image" "everything" {
  region           = "cn-north-4"
  name             = "webapp-1.2.4"
  image_id         = "be205fa5-0302-4051-8ba1-aa09265a76da"
  virtual_env_type = "FusionCompute"
  # hwc-migrate: dropped is_whole_image = false: the official provider sent nothing for false.
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type            = "private"
  owner                 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  flavor_id             = "c7.large.2"
  sort_key              = "created_at"
  sort_dir              = "desc"
  tag                   = "env=prod"
  enterprise_project_id = "0"
  # hwc-migrate: dropped size_min              = 1: deprecated, and never sent to the API by the official provider.
  # hwc-migrate: dropped size_max              = 100: deprecated, and never sent to the API by the official provider.
  most_recent = false
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
}

data "hwc_ims_image" "whole" {
  whole_image = true
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = var.visibility == "public" ? "gold" : (var.visibility == "" ? null : var.visibility)
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = tobool(var.newest) == true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

variable "visibility" {
  type    = string
  default = "private"
}

variable "newest" {
  type    = bool
  default = true
}

# hwc-migrate: needs a person: data.hwc_ims_image.ubuntu.metadata: metadata is deprecated in the official provider and has no counterpart
output "ubuntu" {
  value = {
    id           = data.hwc_ims_image.ubuntu.id
    image_id     = data.hwc_ims_image.ubuntu.id
    name         = (data.hwc_ims_image.ubuntu.name == null ? "" : data.hwc_ims_image.ubuntu.name)
    os           = (data.hwc_ims_image.ubuntu.platform == null ? "" : data.hwc_ims_image.ubuntu.platform)
    os_version   = (data.hwc_ims_image.ubuntu.os_version == null ? "" : data.hwc_ims_image.ubuntu.os_version)
    image_type   = (data.hwc_ims_image.ubuntu.virtual_env_type == null ? "" : data.hwc_ims_image.ubuntu.virtual_env_type)
    visibility   = (data.hwc_ims_image.ubuntu.image_type == null ? "" : (data.hwc_ims_image.ubuntu.image_type == "gold" ? "public" : data.hwc_ims_image.ubuntu.image_type))
    architecture = (data.hwc_ims_image.ubuntu.support_arm == true ? "arm" : "x86")
    min_ram_mb   = (data.hwc_ims_image.ubuntu.min_ram == null ? 0 : data.hwc_ims_image.ubuntu.min_ram)
    max_ram_mb   = (data.hwc_ims_image.ubuntu.max_ram == null ? 0 : (floor(data.hwc_ims_image.ubuntu.max_ram) == data.hwc_ims_image.ubuntu.max_ram ? data.hwc_ims_image.ubuntu.max_ram : 0))
    min_disk_gb  = (data.hwc_ims_image.ubuntu.min_disk == null ? 0 : data.hwc_ims_image.ubuntu.min_disk)
    size_bytes   = data.hwc_ims_image.ubuntu.image_size
    created_at   = data.hwc_ims_image.ubuntu.created_at
    updated_at   = data.hwc_ims_image.ubuntu.updated_at
    protected    = (data.hwc_ims_image.ubuntu.protected == true)
    metadata     = data.hwc_ims_image.ubuntu.metadata
  }
}
