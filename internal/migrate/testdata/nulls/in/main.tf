provider "huaweicloud" {}

module "select" {
  source         = "./modules/select"
  platform       = "Ubuntu"
  sort_direction = "desc"
}
