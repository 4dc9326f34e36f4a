terraform {
  required_providers {
    hwc = {
      source  = "hwc-terraform/hwc"
      version = "~> 0.1"
    }
  }
}

# Temporary AK/SK (from STS, such as in a CI job): the security token is sent
# with every signed request.
provider "hwc" {
  alias          = "temporary"
  region         = "cn-north-4"
  access_key     = var.temporary_access_key
  secret_key     = var.temporary_secret_key
  security_token = var.security_token
}

# An IAM token instead of AK/SK (it cannot be combined with access_key).
provider "hwc" {
  alias  = "token"
  region = "cn-north-4"
  token  = var.iam_token
}

# Another cloud domain behind a corporate proxy: the proxy's CA, a known
# project (no IAM look-up), more patience with a slow link.
provider "hwc" {
  alias           = "private_cloud"
  region          = "cn-north-4"
  cloud           = "cloud.example.com"
  project_id      = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"
  cacert_file     = "${path.module}/corporate-ca.pem"
  max_retries     = 8
  request_timeout = "2m"
}

# A test endpoint with a self-signed certificate: insecure skips TLS
# verification (with a warning). Never against the real cloud.
provider "hwc" {
  alias    = "lab"
  region   = "cn-north-4"
  insecure = true
  endpoints = {
    ims = "https://ims.lab.example.com"
    iam = "https://iam.lab.example.com"
  }
}

variable "temporary_access_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "temporary_secret_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "security_token" {
  type      = string
  sensitive = true
  default   = ""
}

variable "iam_token" {
  type      = string
  sensitive = true
  default   = ""
}
