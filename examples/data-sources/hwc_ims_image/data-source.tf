# The newest public Ubuntu 22.04 image that a c7.large.2 server can run.
# most_recent = true is needed because several builds match; without it,
# several matches are an error.
data "hwc_ims_image" "ubuntu" {
  image_type   = "gold"
  platform     = "Ubuntu"
  architecture = "x86"
  flavor_id    = "c7.large.2"
  name_regex   = "^Ubuntu 22\\.04 server 64bit"
  most_recent  = true
}

output "ubuntu_image" {
  value = {
    id         = data.hwc_ims_image.ubuntu.id
    name       = data.hwc_ims_image.ubuntu.name
    created_at = data.hwc_ims_image.ubuntu.created_at
    min_disk   = data.hwc_ims_image.ubuntu.min_disk
  }
}
