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

provider "huaweicloud" {
  alias  = "eu"
  region = "eu-west-101"
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  alias  = "eu"
  region = "eu-west-101"
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

data "hwc_ims_image" "x" {
  name = "Ubuntu 22.04 server 64bit"
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

data "hwc_ims_images" "list" {
  provider    = hwc.eu
  platform    = "Ubuntu"
  sort_key    = "created_at"
  whole_image = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_dir = "asc"
}

data "hwc_ims_image" "y" {
  name_regex = "^CentOS"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

output "id" { value = data.hwc_ims_image.x.id }
output "list" { value = data.hwc_ims_images.list.images[*].id }
output "y" { value = (data.hwc_ims_image.y.name == null ? "" : data.hwc_ims_image.y.name) }

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
