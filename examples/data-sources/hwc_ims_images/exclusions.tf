# Keep a known-bad build and every release candidate out of every plan.
data "hwc_ims_images" "webapp" {
  visibility         = "private"
  name_regex         = "^webapp-"
  exclude_name_regex = "-rc[0-9]*$"
  exclude_ids        = ["0b4e2a1c-7d3f-4e5a-9b8c-1d2e3f4a5b6c"]
  order_by           = "version"
  limit              = 5
}
