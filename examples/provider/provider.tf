terraform {
  required_providers {
    hwc = {
      source  = "hwc-terraform/hwc"
      version = "~> 0.1"
    }
  }
}

# Credentials come from HW_ACCESS_KEY and HW_SECRET_KEY (or HW_AUTH_TOKEN);
# the region could come from HW_REGION_NAME too.
provider "hwc" {
  region = "cn-north-4"
}
