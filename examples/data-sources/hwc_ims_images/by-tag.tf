# Private production images of one team, by tags, that support KVM. Every tag
# must be on the image: one is sent to the API, the others are matched by the
# provider in the same listing.
data "hwc_ims_images" "web_prod" {
  visibility  = "private"
  tags        = ["env=prod", "team=web"]
  name_regex  = "^webapp-"
  support_kvm = true
}
