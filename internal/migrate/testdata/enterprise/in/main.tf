terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"
}

# The production enterprise project: every image data source under it.
provider "huaweicloud" {
  alias                 = "eps"
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
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
  }
}

module "inline" {
  source    = "./modules/images"
  providers = { huaweicloud = huaweicloud.eps }
}

data "huaweicloud_images_image" "pinned_project" {
  provider              = huaweicloud.eps
  name                  = "base-2.0"
  enterprise_project_id = "0"
}
