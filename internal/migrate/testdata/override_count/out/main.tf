data "huaweicloud_images_image" "web" {
  name = "Ubuntu 22.04 server 64bit"
}

output "web" {
  value = data.huaweicloud_images_image.web.id
}
