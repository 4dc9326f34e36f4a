# hwc-migrate: needs a person: this override of provider "huaweicloud" sets endpoints: add the endpoints it means to an override of provider "hwc" by hand (hwc's endpoints come of both auth_url and endpoints)
provider "huaweicloud" {
  endpoints = {
    ims = "https://ims.example.com"
  }
}

# hwc-migrate: needs a person: data "huaweicloud_images_image" "orphan" overrides a block that this module does not have
data "huaweicloud_images_image" "orphan" {
  name = "Ubuntu 24.04 server 64bit"
}
