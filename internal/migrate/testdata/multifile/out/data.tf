# hwc-migrate: needs a person: hwc-migrate cannot tell whether this directory is a root module or one that others call: if it is a root module, add provider "hwc" { default_enterprise_project_id = "all_granted_eps" }; if not, run hwc-migrate -recursive on the configuration that calls it
data "hwc_ims_images" "gold" {
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  platform   = "Ubuntu"
  name_regex = "24\\.04"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
