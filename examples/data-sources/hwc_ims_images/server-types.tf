# Public images for large-memory, high-performance KVM servers with at least
# 1 GB of memory. A support flag set to false keeps out the images that have
# the feature: here, those for disk-intensive servers.
data "hwc_ims_images" "large_memory" {
  image_type              = "gold"
  virtual_env_type        = "FusionCompute"
  min_ram                 = 1024
  support_kvm             = true
  support_largememory     = true
  support_highperformance = true
  support_diskintensive   = false

  # A listing of many pages may take longer than the default 10 minutes.
  timeouts {
    read = "20m"
  }
}

# Images for Xen servers, for GPU servers on Xen, for servers with InfiniBand
# NICs (KVM) and for HANA servers (Xen).
data "hwc_ims_images" "xen" {
  image_type  = "gold"
  support_xen = true
}

data "hwc_ims_images" "xen_gpu" {
  support_xen_gpu_type = "M60_vGPU"
}

data "hwc_ims_images" "infiniband" {
  support_kvm_infiniband = true
}

data "hwc_ims_images" "hana" {
  support_xen_hana = true
}
