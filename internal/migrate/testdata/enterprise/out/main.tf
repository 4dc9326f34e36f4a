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
  region = "cn-north-4"
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region = "cn-north-4"
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

# The production enterprise project: every image data source under it.
provider "huaweicloud" {
  alias                 = "eps"
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  alias                 = "eps"
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

variable "enterprise_project_id" {
  type = string
}

module "default_images" {
  source = "./modules/images"
}

module "prod_images" {
  source = "./modules/images"
  providers = {
    huaweicloud = huaweicloud.eps
    hwc         = hwc.eps
  }
}

module "inline" {
  source    = "./modules/images"
  providers = { huaweicloud = huaweicloud.eps, hwc = hwc.eps }
}

data "hwc_ims_image" "pinned_project" {
  provider              = hwc.eps
  name                  = "base-2.0"
  enterprise_project_id = "0"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}
