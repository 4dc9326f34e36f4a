provider "huaweicloud" {
  region = "ap-southeast-1"
}

provider "huaweicloud" {
  alias      = "eu"
  access_key = var.eu_access_key
}
