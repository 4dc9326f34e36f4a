terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}

provider "huaweicloud" {
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
}

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region = "cn-north-4"
}

variable "enterprise_project_id" {
  type    = string
  default = "0"
}

# Every argument of the plural.
data "hwc_ims_images" "everything" {
  region           = "cn-north-4"
  image_id         = "be205fa5-0302-4051-8ba1-aa09265a76da"
  name             = "webapp-1.2.4"
  virtual_env_type = "FusionCompute"
  whole_image      = true
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type            = "market"
  owner                 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  flavor_id             = "c7.large.2"
  sort_key              = "created_at"
  sort_dir              = "desc"
  platform              = "CentOS"
  architecture          = "arm"
  tag                   = "env=prod"
  enterprise_project_id = "all_granted_eps"
  # hwc-migrate: not converted, hwc has no counterpart: __support_agent_list = "hss,ces"
  # hwc-migrate: dropped os_version = "CentOS 7.9 64bit": the official provider never sent it to the API (it is only an attribute there), so it selected nothing.
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
}

data "hwc_ims_images" "centos" {
  name_regex = "^CentOS"
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official provider sent the provider block's enterprise_project_id when enterprise_project_id was unset.
  enterprise_project_id = var.enterprise_project_id
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

output "centos" {
  value = [for image in data.hwc_ims_images.centos.images : {
    id      = image.id
    name    = image.name
    os      = image.platform
    visible = (image.image_type == "gold" ? "public" : image.image_type)
    agents  = (image.support_agent_list == null ? null : join(",", image.support_agent_list))
    size    = image.image_size
  }]
}

output "first" {
  value = data.hwc_ims_images.centos.images[0].id
}

output "platforms" {
  value = data.hwc_ims_images.centos.images[*].platform
}

output "count" {
  value = length(data.hwc_ims_images.centos.images)
}
