provider "huaweicloud" {
  endpoints = {
    ims = "https://ims.example.com"
  }
}

data "huaweicloud_images_image" "orphan" {
  name = "Ubuntu 24.04 server 64bit"
}
