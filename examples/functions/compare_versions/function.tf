# 1: CentOS 7.10 is the higher version, though "7.1" sorts before "7.9" as text.
output "newer" {
  value = provider::hwc::compare_versions("CentOS 7.10", "CentOS 7.9")
}

# Keep the pinned image until a higher release than the one pinned exists.
variable "pinned_name" {
  type    = string
  default = "Ubuntu 22.04.5 server 64bit"
}

output "upgrade_available" {
  value = provider::hwc::compare_versions("Ubuntu 24.04.2 server 64bit", var.pinned_name) > 0
}
