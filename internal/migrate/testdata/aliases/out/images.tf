data "hwc_ims_image" "cn" {
  name = "Ubuntu 22.04 server 64bit"
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

data "hwc_ims_image" "hk" {
  provider = hwc.hk
  name     = "Ubuntu 22.04 server 64bit"
  # hwc-migrate: the official most_recent keeps the image updated last, as order_by = "updated_at" does; of images updated in
  #   the same second, tie_break = "official" keeps the one it kept (Go's sort.Sort over the API's order).
  #   To take the highest release instead, use order_by = "version" with the version captured in name_regex
  #   (such as "^Ubuntu (\\d+\\.\\d+)"), and min_age = "72h" to keep images published in the last three days out of plans.
  order_by    = "updated_at"
  tie_break   = "official"
  most_recent = true
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

data "hwc_ims_images" "legacy" {
  provider = hwc.legacy
  platform = "EulerOS"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

resource "random_shuffle" "pick" {
  input = concat([data.hwc_ims_image.cn.id, data.hwc_ims_image.hk.id], data.hwc_ims_images.legacy.images[*].id)
}
