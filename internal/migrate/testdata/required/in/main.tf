data "huaweicloud_images_image" "ubuntu" {
  os          = "Ubuntu"
  visibility  = "public"
  most_recent = true
}
