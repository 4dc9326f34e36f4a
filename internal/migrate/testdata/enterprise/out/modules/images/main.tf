terraform {
  required_providers {
    huaweicloud = {
      source                = "huaweicloud/huaweicloud"
      configuration_aliases = [huaweicloud.replica]
    }
    hwc = {
      source                = "hwc-terraform/hwc"
      configuration_aliases = [hwc.replica]
    }
  }
}

data "hwc_ims_images" "private" {
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "private"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

output "ids" {
  value = data.hwc_ims_images.private.images[*].id
}
