# GPU-capable images for KVM servers with T4 cards. A GPU type filter cannot
# be combined with support_kvm or support_xen.
data "hwc_ims_images" "gpu" {
  support_kvm_gpu_type = "T4"
  status               = "active"
}
