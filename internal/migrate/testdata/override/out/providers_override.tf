provider "huaweicloud" {
  region = "ap-southeast-1"
}

# hwc-migrate: the hwc provider of the image data sources, overridden as the huaweicloud block above overrides its own.
provider "hwc" {
  region = "ap-southeast-1"
}

provider "huaweicloud" {
  alias      = "eu"
  access_key = var.eu_access_key
}

# hwc-migrate: the hwc provider of the image data sources, overridden as the huaweicloud block above overrides its own.
provider "hwc" {
  alias      = "eu"
  access_key = var.eu_access_key
}
