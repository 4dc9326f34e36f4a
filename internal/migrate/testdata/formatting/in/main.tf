terraform {
	required_providers {
		huaweicloud = {
			source = "huaweicloud/huaweicloud"
		}
	}
}

provider "huaweicloud" {
	region = "cn-north-4" /* the main region */
}

/* The base image:
   newest first. */
data "huaweicloud_images_image" "base" {
	os          = "Ubuntu"   # the platform
	visibility  = "public"
	most_recent = true
}

output   "base_os"   {
	value = data.huaweicloud_images_image.base.os    # aligned on purpose
}

locals {
  untouched =   [ 1,2,   3 ]
}
