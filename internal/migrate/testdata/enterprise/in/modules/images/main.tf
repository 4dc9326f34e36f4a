terraform {
  required_providers {
    huaweicloud = {
      source                = "huaweicloud/huaweicloud"
      configuration_aliases = [huaweicloud.replica]
    }
  }
}

data "huaweicloud_images_images" "private" {
  visibility = "private"
}

output "ids" {
  value = data.huaweicloud_images_images.private.images[*].id
}
