terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}

# Credentials come from HW_ACCESS_KEY and HW_SECRET_KEY; the region could
# come from HW_REGION_NAME too.
provider "hwc" {
  region = "cn-north-4"
}
