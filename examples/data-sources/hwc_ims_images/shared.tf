# Images other accounts share with the project, which it has accepted.
# member_status needs visibility = "shared".
data "hwc_ims_images" "accepted" {
  visibility    = "shared"
  member_status = "accepted"
}
