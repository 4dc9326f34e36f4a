output "ids" {
  value = data.hwc_ims_images.gold.images[*].id
}

output "newest_update" {
  value = max([for i in data.hwc_ims_images.gold.images : parseint(formatdate("YYYYMMDD", i.updated_at), 10)]...)
}
