data "huaweicloud_images_image" "x" {
  name = "Ubuntu 24.04 server 64bit"
}

# The list of every image, in the API's order.
data "huaweicloud_images_images" "list" {
  os             = ""
  sort_key       = ""
  is_whole_image = false
}

data "huaweicloud_images_image" "y" {
  most_recent = true
}
