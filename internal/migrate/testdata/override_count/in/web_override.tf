data "huaweicloud_images_image" "web" {
  count = 2
}
