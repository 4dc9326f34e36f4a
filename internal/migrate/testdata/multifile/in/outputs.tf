output "ids" {
  value = data.huaweicloud_images_images.gold.images[*].id
}

output "newest_update" {
  value = max([for i in data.huaweicloud_images_images.gold.images : parseint(formatdate("YYYYMMDD", i.updated_at), 10)]...)
}
