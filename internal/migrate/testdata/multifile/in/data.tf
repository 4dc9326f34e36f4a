data "huaweicloud_images_images" "gold" {
  visibility = "public"
  os         = "Ubuntu"
  name_regex = "24\\.04"
}
