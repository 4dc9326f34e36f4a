terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region                = "cn-north-4"
  enterprise_project_id = var.enterprise_project_id
}

variable "enterprise_project_id" {
  type    = string
  default = "0"
}

# Every argument of the plural.
data "huaweicloud_images_images" "everything" {
  region                = "cn-north-4"
  image_id              = "be205fa5-0302-4051-8ba1-aa09265a76da"
  name                  = "webapp-1.2.4"
  image_type            = "FusionCompute"
  is_whole_image        = true
  visibility            = "market"
  owner                 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  flavor_id             = "c7.large.2"
  sort_key              = "created_at"
  sort_direction        = "desc"
  os                    = "CentOS"
  architecture          = "arm"
  tag                   = "env=prod"
  enterprise_project_id = "all_granted_eps"
  __support_agent_list  = "hss,ces"
  os_version            = "CentOS 7.9 64bit"
}

data "huaweicloud_images_images" "centos" {
  name_regex = "^CentOS"
  visibility = "public"
}

output "centos" {
  value = [for image in data.huaweicloud_images_images.centos.images : {
    id      = image.id
    name    = image.name
    os      = image.os
    visible = image.visibility
    agents  = image.__support_agent_list
    size    = image.size_bytes
  }]
}

output "first" {
  value = data.huaweicloud_images_images.centos.images[0].id
}

output "platforms" {
  value = data.huaweicloud_images_images.centos.images[*].os
}

output "count" {
  value = length(data.huaweicloud_images_images.centos.images)
}
