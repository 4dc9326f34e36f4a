# The newest Ubuntu LTS point release that has been public for three days.
#
# order_by = "version" ranks "Ubuntu 24.04.2" above "Ubuntu 22.04.5" even when
# the 22.04.5 patch build was published later, which is what most_recent by
# creation date alone would pick. min_age = "72h" keeps a point release
# published minutes ago out of production until it has soaked, at no extra
# request: the bound is sent to the API.
data "hwc_ims_image" "ubuntu_lts" {
  image_type   = "gold"
  architecture = "x86"
  name_regex   = "^Ubuntu \\d+\\.04\\.\\d+ server 64bit$"
  order_by     = "version"
  most_recent  = true
  min_age      = "72h"
}

# The output shows the name and id, not the query attribute: with min_age,
# the query holds a created_at bound that moves with the clock, so an output
# of it would change on every plan and fail drift checks
# (plan -detailed-exitcode).
output "ubuntu_lts" {
  value = "${data.hwc_ims_image.ubuntu_lts.name} (${data.hwc_ims_image.ubuntu_lts.id})"
}
