# One private image by its exact name; the plan fails with an explanation
# when no image, or more than one, has that name.
data "hwc_ims_image" "golden" {
  image_type = "private"
  name       = "webapp-3.4.9"
}
