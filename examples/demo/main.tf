# The configuration `make demo` plans and applies against the local emulator.
terraform {
  required_providers {
    hwc = {
      source = "hwc-terraform/hwc"
    }
  }
}

variable "emulator_url" {
  description = "Base URL of the running hwc-emulator."
  type        = string
  default     = "http://127.0.0.1:8787"
}

# The emulator's built-in test credentials, not real ones.
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

# The newest public Ubuntu 22.04 image for x86 servers.
data "hwc_ims_image" "ubuntu" {
  image_type   = "gold"
  architecture = "x86"
  name_regex   = "^Ubuntu 22\\.04 server 64bit"
  most_recent  = true
}

# The highest Ubuntu LTS point release public for at least three days: by
# version, not by date (a 22.04 patch build is newer than 24.04.2), and not the
# 24.04.3 release published minutes ago.
data "hwc_ims_image" "ubuntu_lts" {
  image_type  = "gold"
  name_regex  = "^Ubuntu \\d+\\.04\\.\\d+ server 64bit$"
  order_by    = "version"
  most_recent = true
  min_age     = "72h"
}

# The newest Huawei Cloud EulerOS 2.0 image for Arm servers.
data "hwc_ims_image" "hce_arm" {
  image_type   = "gold"
  platform     = "Huawei Cloud EulerOS"
  architecture = "arm"
  name_regex   = "^Huawei Cloud EulerOS 2\\.0"
  most_recent  = true
}

# The newest image that runs on KVM servers with T4 GPUs.
data "hwc_ims_image" "gpu" {
  image_type           = "gold"
  support_kvm_gpu_type = "T4"
  most_recent          = true
}

# The newest private production image of the web application.
data "hwc_ims_image" "webapp" {
  image_type  = "private"
  tag         = "env=prod"
  name_regex  = "^webapp-"
  most_recent = true
}

# Three KooGallery images, then their Workspace details.
data "hwc_ims_images" "market" {
  image_type = "market"
  os_type    = "Linux"
  limit      = 3
}

data "hwc_workspace_market_images" "market" {
  image_ids   = data.hwc_ims_images.market.ids
  require_all = true
}

locals {
  selected = {
    "ubuntu 22.04 (x86)"  = data.hwc_ims_image.ubuntu
    "ubuntu lts (soaked)" = data.hwc_ims_image.ubuntu_lts
    "hce 2.0 (arm)"       = data.hwc_ims_image.hce_arm
    "gpu (T4)"            = data.hwc_ims_image.gpu
    "webapp (private)"    = data.hwc_ims_image.webapp
  }
  row = "%-20s  %-44s  %-36s  %s"
}

output "selected_images" {
  description = "The images selected, as a table."
  value = join("\n", concat(
    [format(local.row, "LOOKUP", "NAME", "ID", "CREATED")],
    [for k in sort(keys(local.selected)) : format(local.row, k, local.selected[k].name, local.selected[k].id, local.selected[k].created_at)],
    [for img in data.hwc_workspace_market_images.market.images : format(local.row, "koogallery", img.name, img.image_id, img.created_at)],
  ))
}
