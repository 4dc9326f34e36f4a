provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_images" "all" {
  visibility = "private"
}

data "huaweicloud_images_image" "base" {
  name = "base-2.0"
}

locals {
  images   = data.huaweicloud_images_images.all.images
  by_id    = { for img in local.images : img.id => img }
  first_os = local.images[0].os
  base     = data.huaweicloud_images_image.base
}

# each.value is an image: its attributes are renamed.
module "per_image" {
  for_each = { for img in data.huaweicloud_images_images.all.images : img.id => img }
  source   = "./server"
  os       = each.value.os
  disk     = each.value.min_disk_gb
}

module "per_local" {
  for_each = local.by_id
  source   = "./server"
  os       = each.value.os
  disk     = local.base.min_disk_gb
}

resource "null_resource" "disks" {
  dynamic "triggers" {
    for_each = data.huaweicloud_images_images.all.images
    content {
      os = triggers.value.os
    }
  }
}

output "listing" {
  value = <<-EOT
    %{for img in local.images~}
    ${img.name} ${img.os} ${img.visibility}
    %{endfor~}
  EOT
}

# A module input carrying the images: the module reads official names.
module "report" {
  source = "./report"
  images = data.huaweicloud_images_images.all.images
}

output "json" {
  value = jsonencode(local.images)
}

output "first" {
  value = try(local.images[0], null)
}

output "unknown" {
  value = data.huaweicloud_images_image.base.no_such_attribute
}
