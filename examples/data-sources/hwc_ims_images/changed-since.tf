# Private images changed in the first quarter of 2025, at most 20 of them.
data "hwc_ims_images" "recent_changes" {
  image_type     = "private"
  updated_after  = "2025-01-01T00:00:00Z"
  updated_before = "2025-04-01T00:00:00Z"
  limit          = 20
}
