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

module "images" {
  source   = "./images"
  platform = "Ubuntu"
}

output "image_id" {
  value = module.images.image_id
}
