# Every Ubuntu 22.04 public image for x86 that a c7.large.2 server can run,
# newest first (the API's default order).
data "hwc_ims_images" "ubuntu" {
  image_type   = "gold"
  platform     = "Ubuntu"
  architecture = "x86"
  flavor_id    = "c7.large.2"
  name_regex   = "^Ubuntu 22\\.04"
}

output "ubuntu_image_ids" {
  value = data.hwc_ims_images.ubuntu.ids
}
