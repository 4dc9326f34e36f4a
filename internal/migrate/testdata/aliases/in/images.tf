data "huaweicloud_images_image" "cn" {
  name        = "Ubuntu 22.04 server 64bit"
  most_recent = true
}

data "huaweicloud_images_image" "hk" {
  provider    = huaweicloud.hk
  name        = "Ubuntu 22.04 server 64bit"
  most_recent = true
}

data "huaweicloud_images_images" "legacy" {
  provider = huaweicloud.legacy
  os       = "EulerOS"
}

resource "random_shuffle" "pick" {
  input = concat([data.huaweicloud_images_image.cn.id, data.huaweicloud_images_image.hk.id], data.huaweicloud_images_images.legacy.images[*].id)
}
