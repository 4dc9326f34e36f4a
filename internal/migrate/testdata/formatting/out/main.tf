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

provider "huaweicloud" {
  region = "cn-north-4" /* the main region */
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region = "cn-north-4"
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

/* The base image:
   newest first. */
data "hwc_ims_image" "base" {
  platform = "Ubuntu" # the platform
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

output "base_os" {
  value = (data.hwc_ims_image.base.platform == null ? "" : data.hwc_ims_image.base.platform) # aligned on purpose
}

locals {
  untouched = [1, 2, 3]
}
