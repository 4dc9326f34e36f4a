terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "platform" {
  type = string
}

data "huaweicloud_images_image" "this" {
  os          = var.platform
  visibility  = "public"
  most_recent = true
}

output "image_id" {
  value = data.huaweicloud_images_image.this.id
}

output "os_version" {
  value = data.huaweicloud_images_image.this.os_version
}
