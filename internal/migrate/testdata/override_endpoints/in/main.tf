provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_images" "all" {
  os = "Ubuntu"
}
