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

module "images" {
  source   = "./images"
  platform = "Ubuntu"
}

output "image_id" {
  value = module.images.image_id
}
