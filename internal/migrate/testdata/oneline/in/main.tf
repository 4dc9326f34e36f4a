provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_images" "ubuntu" { os = "Ubuntu" }
  data "huaweicloud_images_image" "one" { name = "Ubuntu 22.04 server 64bit" }

output "ids" { value = data.huaweicloud_images_images.ubuntu.images[*].id }
output "one" { value = data.huaweicloud_images_image.one.id }
