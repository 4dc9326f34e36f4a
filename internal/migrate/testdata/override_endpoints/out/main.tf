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

data "hwc_ims_images" "all" {
  platform = "Ubuntu"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
