# The same public image in three regions, as a multi-region module looks it
# up: each data source reads its own region.
locals {
  regions = ["cn-north-4", "ap-southeast-3", "eu-west-101"]
}

data "hwc_ims_image" "ubuntu" {
  for_each = toset(local.regions)

  region      = each.key
  image_type  = "gold"
  name_regex  = "^Ubuntu 22\\.04 server 64bit$"
  most_recent = true
}

output "ubuntu_image_id_by_region" {
  value = { for region, image in data.hwc_ims_image.ubuntu : region => image.id }
}
