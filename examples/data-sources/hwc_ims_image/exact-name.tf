# One private image by its exact name; the plan fails with an explanation
# when no image, or more than one, has that name.
data "hwc_ims_image" "golden" {
  visibility = "private"
  name       = "webapp-2.4.1"
}
