terraform {
  required_providers {
    hwc = {
      source  = "hwc-terraform/hwc"
      version = "~> 0.1"
    }
  }
}

# An agency: the credentials found (here from HW_ACCESS_KEY and HW_SECRET_KEY)
# are exchanged for the agency's temporary keys, renewed before they expire.
provider "hwc" {
  alias  = "agency"
  region = "cn-north-4"
  assume_role {
    agency_name = "terraform-deployer"
    domain_name = "my-company" # the account that created the agency
    duration    = 3600
  }
}

# OIDC federation from a CI job: no secret is stored anywhere. The job's id
# token is read from the file the CI system writes; IAM's identity provider
# exchanges it for temporary keys, which then assume the agency.
provider "hwc" {
  alias  = "ci"
  region = "cn-north-4"
  assume_role_with_oidc {
    idp_id        = "github-actions"
    id_token_file = "/tmp/hwc-id-token"
    agency_name   = "terraform-deployer"
    domain_id     = "0123456789abcdef0123456789abcdef"
  }
}

# A KooCLI profile (hcloud configure): keys, region, project and agency come
# from ~/.hcloud/config.json unless this block or the environment sets them.
provider "hwc" {
  alias   = "koocli"
  profile = "production"
}

# An IAM user's password, exchanged for an IAM token of the region's project.
provider "hwc" {
  alias       = "password"
  region      = "cn-north-4"
  user_name   = "terraform"
  password    = var.iam_password
  domain_name = "my-company"
}

# On an ECS instance, nothing: the provider asks the instance's metadata API
# for the temporary keys of its agency.
provider "hwc" {
  alias  = "ecs"
  region = "cn-north-4"
}

variable "iam_password" {
  type      = string
  sensitive = true
  default   = null
}
