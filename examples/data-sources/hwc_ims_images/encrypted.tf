# Your encrypted images: private, encrypted with one key, in the zvhd2 format,
# 64-bit Linux, sorted by name for a stable listing.
data "hwc_ims_images" "encrypted" {
  image_type  = "private"
  cmk_id      = "83cdb52d-9ebf-4469-9cfa-e7b5b80da846"
  disk_format = "zvhd2"
  os_type     = "Linux"
  os_bit      = "64"
  sort_key    = "name"
  sort_dir    = "asc"
}
