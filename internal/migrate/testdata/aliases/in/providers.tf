terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = "~> 1.70"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}

provider "huaweicloud" {
  region      = var.region
  access_key  = var.access_key
  secret_key  = var.secret_key
  project_id  = var.project_id
  domain_name = "my-account"
  auth_url    = "https://iam.cn-north-4.myhuaweicloud.com:443/v3/"
  insecure    = false
  max_retries = 3
}

provider "huaweicloud" {
  alias          = "hk"
  region         = "ap-southeast-1"
  security_token = var.security_token
  cacert_file    = "/etc/ssl/corp.pem"
  endpoints = {
    ims = "https://ims.ap-southeast-1.myhuaweicloud.com/"
    vpc = "https://vpc.ap-southeast-1.myhuaweicloud.com/"
  }
  auth_url = var.auth_url
}

provider "huaweicloud" {
  alias     = "legacy"
  region    = "cn-south-1"
  user_name = "ops"
  password  = var.password
  assume_role {
    agency_name = "ops"
    domain_name = "other"
  }
}

provider "huaweicloud" {
  alias   = "ci"
  region  = "cn-north-4"
  profile = "ci"
  assume_role_with_oidc {
    idp_id        = "github"
    id_token_file = var.id_token_file
    agency_name   = "deployer"
    domain_id     = var.domain_id
  }
}
