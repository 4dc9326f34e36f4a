provider "huaweicloud" {
  region = "cn-north-4"
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region = "cn-north-4"
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}

data "hwc_ims_images" "all" {
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "private"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

data "hwc_ims_image" "base" {
  name = "base-2.0"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order; it does not change which image is selected.
  sort_key = "name"
  sort_dir = "asc"
}

locals {
  images   = data.hwc_ims_images.all.images
  by_id    = { for img in local.images : img.id => img }
  first_os = (local.images[0].platform == null ? "" : local.images[0].platform)
  base     = data.hwc_ims_image.base
}

# each.value is an image: its attributes are renamed.
module "per_image" {
  for_each = { for img in data.hwc_ims_images.all.images : img.id => img }
  source   = "./server"
  os       = (each.value.platform == null ? "" : each.value.platform)
  disk     = (each.value.min_disk == null ? 0 : each.value.min_disk)
}

module "per_local" {
  for_each = local.by_id
  source   = "./server"
  os       = (each.value.platform == null ? "" : each.value.platform)
  disk     = (local.base.min_disk == null ? 0 : local.base.min_disk)
}

resource "null_resource" "disks" {
  dynamic "triggers" {
    for_each = data.hwc_ims_images.all.images
    content {
      os = (triggers.value.platform == null ? "" : triggers.value.platform)
    }
  }
}

output "listing" {
  value = <<-EOT
    %{for img in local.images~}
    ${(img.name == null ? "" : img.name)} ${(img.platform == null ? "" : img.platform)} ${(img.image_type == null ? "" : (img.image_type == "gold" ? "public" : img.image_type))}
    %{endfor~}
  EOT
}

# A module input carrying the images: the module reads official names.
# hwc-migrate: needs a person: data.hwc_ims_images.all.images is a list of images used whole: whatever reads its attributes uses the official names, and hwc's differ (os is platform, min_disk_gb is min_disk, …: see the migration guide); convert them by hand, then delete this line
module "report" {
  source = "./report"
  images = data.hwc_ims_images.all.images
}

# hwc-migrate: needs a person: local.images is a list of images used whole: whatever reads its attributes uses the official names, and hwc's differ (os is platform, min_disk_gb is min_disk, …: see the migration guide); convert them by hand, then delete this line
output "json" {
  value = jsonencode(local.images)
}

# hwc-migrate: needs a person: try(local.images[0], null) is an image used whole: whatever reads its attributes uses the official names, and hwc's differ (os is platform, min_disk_gb is min_disk, …: see the migration guide); convert them by hand, then delete this line
output "first" {
  value = try(local.images[0], null)
}

# hwc-migrate: needs a person: data.hwc_ims_image.base.no_such_attribute is not an attribute of the official data source
output "unknown" {
  value = data.hwc_ims_image.base.no_such_attribute
}

terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}
