terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = "~> 1.70"
    }
    hwc = {
      source = "hwc-terraform/hwc"
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

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  region      = var.region
  access_key  = var.access_key
  secret_key  = var.secret_key
  project_id  = var.project_id
  domain_name = "my-account"
  insecure    = false
  max_retries = 3
  endpoints = {
    iam = "https://iam.cn-north-4.myhuaweicloud.com:443"
  }
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
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

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  alias          = "hk"
  region         = "ap-southeast-1"
  security_token = var.security_token
  cacert_file    = "/etc/ssl/corp.pem"
  endpoints = {
    ims = "https://ims.ap-southeast-1.myhuaweicloud.com/"
    iam = trimsuffix(trimsuffix(var.auth_url, "/"), "/v3")
  }
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
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

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  alias     = "legacy"
  region    = "cn-south-1"
  user_name = "ops"
  password  = var.password
  assume_role {
    agency_name = "ops"
    domain_name = "other"
  }
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
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

# hwc-migrate: the hwc provider of the image data sources, from the huaweicloud block above; both read the same HW_* variables.
provider "hwc" {
  alias   = "ci"
  region  = "cn-north-4"
  profile = "ci"
  assume_role_with_oidc {
    idp_id        = "github"
    id_token_file = var.id_token_file
    agency_name   = "deployer"
    domain_id     = var.domain_id
  }
  # hwc-migrate: like the official provider, query every enterprise project you may see when neither the data source,
  #   enterprise_project_id here nor HW_ENTERPRISE_PROJECT_ID names one.
  default_enterprise_project_id = "all_granted_eps"
}
