# Arguments a caller may leave out: each defaults to null, which the official
# provider treats as unset (and "" too).
variable "platform" {
  type = string
}

variable "enterprise_project_id" {
  type    = string
  default = null
}

variable "sort_key" {
  type    = string
  default = null
}

variable "sort_direction" {
  type    = string
  default = null
}

variable "newest" {
  type    = bool
  default = null
}

variable "whole" {
  type    = bool
  default = null
}

data "huaweicloud_images_image" "this" {
  os                    = var.platform
  enterprise_project_id = var.enterprise_project_id
  sort_key              = var.sort_key
  sort_direction        = var.sort_direction
  most_recent           = var.newest
  is_whole_image        = var.whole
  name_regex            = ""
}

output "image" {
  value = {
    id       = data.huaweicloud_images_image.this.id
    max_ram  = data.huaweicloud_images_image.this.max_ram_mb
    eps      = data.huaweicloud_images_image.this.enterprise_project_id
    sort_key = data.huaweicloud_images_image.this.sort_key
  }
}
