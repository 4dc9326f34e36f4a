# The IDs of the Ubuntu LTS point releases, highest first: the same
# selection as hwc_ims_images, without carrying every attribute of every
# image through the plan.
data "hwc_ims_image_ids" "ubuntu_lts" {
  image_type   = "gold"
  architecture = "x86"
  name_regex   = "^Ubuntu (\\d+\\.04\\.\\d+) server 64bit$"
  order_by     = "version"
}

output "ubuntu_lts_ids" {
  value = data.hwc_ims_image_ids.ubuntu_lts.ids
}
