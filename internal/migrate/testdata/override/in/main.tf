provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_image" "x" {
  name        = "Ubuntu 22.04 server 64bit"
  most_recent = true
}

output "id" { value = data.huaweicloud_images_image.x.id }
