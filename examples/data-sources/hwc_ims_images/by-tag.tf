# Private production images of one application, by tag, that support KVM.
data "hwc_ims_images" "webapp_prod" {
  visibility  = "private"
  tag         = "env=prod"
  name_regex  = "^webapp-"
  support_kvm = true
}
