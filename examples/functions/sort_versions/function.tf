locals {
  releases = ["v1.9.0", "v1.10.0", "v1.2.3", "v1.10.0-rc1"]
}

# ["v1.2.3", "v1.9.0", "v1.10.0", "v1.10.0-rc1"]
output "ascending" {
  value = provider::hwc::sort_versions(local.releases)
}

# "v1.10.0-rc1": the highest, as order_by = "version" ranks names.
output "highest" {
  value = reverse(provider::hwc::sort_versions(local.releases))[0]
}
