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
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
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
  # hwc-migrate: needs a person: not converted, the official provider kept only images whose agent list is exactly this text; hwc has no such filter: __support_agent_list  = "hss,ces"
  # hwc-migrate: dropped os_version            = "CentOS 7.9 64bit": the official provider never sent it to the API (it is only read back), so it selected nothing.
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
}

data "hwc_ims_images" "centos" {
  name_regex = "^CentOS"
  # hwc-migrate: visibility becomes image_type; the official "public" is "gold" here.
  image_type = "gold"
  # hwc-migrate: the official provider always sent status=active (hwc does too when status is unset).
  status = "active"
  # hwc-migrate: the official default order (by name, ascending), which is the order of images.
  sort_key = "name"
  sort_dir = "asc"
}

output "centos" {
  value = [for image in data.hwc_ims_images.centos.images : {
    id      = image.id
    name    = (image.name == null ? "" : image.name)
    os      = (image.platform == null ? "" : image.platform)
    visible = (image.image_type == null ? "" : (image.image_type == "gold" ? "public" : image.image_type))
    agents  = (image.support_agent_list == null ? "" : join(",", image.support_agent_list))
    size    = image.image_size
  }]
}

output "first" {
  value = data.hwc_ims_images.centos.images[0].id
}

output "platforms" {
  value = [for image in data.hwc_ims_images.centos.images : image.platform == null ? "" : image.platform]
}

output "count" {
  value = length(data.hwc_ims_images.centos.images)
}
