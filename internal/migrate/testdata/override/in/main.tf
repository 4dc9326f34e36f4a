provider "huaweicloud" {
  region = "cn-north-4"
}

provider "huaweicloud" {
  alias  = "eu"
  region = "eu-west-101"
}

data "huaweicloud_images_image" "x" {
  name        = "Ubuntu 22.04 server 64bit"
  most_recent = true
}

data "huaweicloud_images_images" "list" {
  provider       = huaweicloud.eu
  os             = "Ubuntu"
  sort_key       = "created_at"
  is_whole_image = true
}

data "huaweicloud_images_image" "y" {
  name_regex = "^CentOS"
}

output "id" { value = data.huaweicloud_images_image.x.id }
output "list" { value = data.huaweicloud_images_images.list.images[*].id }
output "y" { value = data.huaweicloud_images_image.y.name }
