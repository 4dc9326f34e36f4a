data "huaweicloud_images_image" "x" {
  name = "Ubuntu 24.04 server 64bit"
}
