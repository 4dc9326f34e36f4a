provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_images" "x" {
  os = "Ubuntu"
}

resource "terraform_data" "a" {
  depends_on = [data.huaweicloud_images_images.x]
}

output "first_two" { value = slice(data.huaweicloud_images_images.x.images, 0, 2)[*].id }
output "count" { value = length(try(data.huaweicloud_images_images.x.images, [])) }
