terraform {
  required_providers {
    hwc = {
      source  = "hwc-terraform/hwc"
      version = "~> 0.1"
    }
  }
}

# The base URL hwc-emulator prints (or writes to its -url-file).
variable "emulator_url" {
  type    = string
  default = "http://127.0.0.1:8787"
}

# The provider pointed at the local emulator, with its built-in test
# credentials (not real ones).
provider "hwc" {
  region     = "cn-north-4"
  access_key = "EMULATORACCESSKEY000"
  secret_key = "emulator-secret-key-0000000000000000000"
  endpoints = {
    ims       = var.emulator_url
    workspace = var.emulator_url
    iam       = var.emulator_url
  }
}

# The newest public Ubuntu 22.04 image of the emulator's catalog.
data "hwc_ims_image" "ubuntu" {
  image_type  = "gold"
  name_regex  = "^Ubuntu 22\\.04 server 64bit"
  most_recent = true
}

output "ubuntu_image_id" {
  value = data.hwc_ims_image.ubuntu.id
}
