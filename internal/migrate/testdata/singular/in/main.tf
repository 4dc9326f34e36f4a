terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.60.0"
    }
  }
}

provider "huaweicloud" {
  region = "cn-north-4"
}

# The newest Ubuntu 22.04 public image.
data "huaweicloud_images_image" "ubuntu" {
  name_regex  = "^Ubuntu 22.04"   # any build
  most_recent = true
  visibility  = "public"
  os          = "Ubuntu"
  os_version  = "Ubuntu 22.04 server 64bit"
  architecture = "x86"
}

// Every other argument of the singular.
data "huaweicloud_images_image" "everything" {
  region                = "cn-north-4"
  name                  = "webapp-1.2.4"
  image_id              = "be205fa5-0302-4051-8ba1-aa09265a76da"
  image_type            = "FusionCompute"
  is_whole_image        = false
  visibility            = "private"
  owner                 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  flavor_id             = "c7.large.2"
  sort_key              = "created_at"
  sort_direction        = "desc"
  tag                   = "env=prod"
  enterprise_project_id = "0"
  size_min              = 1
  size_max              = 100
  most_recent           = false
}

data "huaweicloud_images_image" "whole" {
  is_whole_image = true
  visibility     = var.visibility
  most_recent    = var.newest
}

variable "visibility" {
  type    = string
  default = "private"
}

variable "newest" {
  type    = bool
  default = true
}

output "ubuntu" {
  value = {
    id           = data.huaweicloud_images_image.ubuntu.id
    image_id     = data.huaweicloud_images_image.ubuntu.image_id
    name         = data.huaweicloud_images_image.ubuntu.name
    os           = data.huaweicloud_images_image.ubuntu.os
    os_version   = data.huaweicloud_images_image.ubuntu.os_version
    image_type   = data.huaweicloud_images_image.ubuntu.image_type
    visibility   = data.huaweicloud_images_image.ubuntu.visibility
    architecture = data.huaweicloud_images_image.ubuntu.architecture
    min_ram_mb   = data.huaweicloud_images_image.ubuntu.min_ram_mb
    max_ram_mb   = data.huaweicloud_images_image.ubuntu.max_ram_mb
    min_disk_gb  = data.huaweicloud_images_image.ubuntu.min_disk_gb
    size_bytes   = data.huaweicloud_images_image.ubuntu.size_bytes
    created_at   = data.huaweicloud_images_image.ubuntu.created_at
    updated_at   = data.huaweicloud_images_image.ubuntu.updated_at
    protected    = data.huaweicloud_images_image.ubuntu.protected
    metadata     = data.huaweicloud_images_image.ubuntu.metadata
  }
}
