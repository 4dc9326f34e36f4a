data "hwc_ims_image" "x" {
  name = "Ubuntu 24.04 server 64bit"
}

# The list of every image, in the API's order.
data "hwc_ims_images" "list" {
  # hwc-migrate: os = "": the official provider sent nothing for ""; null replaces what the block this file overrides sets.
  platform = null
  # hwc-migrate: sort_key = "": the official provider sent nothing for ""; null replaces what the block this file overrides sets.
  sort_key = null
  # hwc-migrate: is_whole_image = false: the official provider sent nothing for false; null replaces what the block this file overrides sets.
  whole_image = null
}

data "hwc_ims_image" "y" {
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true
}
