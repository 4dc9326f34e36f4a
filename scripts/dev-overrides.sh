# Sourced by the scripts that run the Terraform CLI on this tree's provider.
# use_built_provider WORK ROOT builds the provider of ROOT into WORK/bin and
# points the CLI at it through dev_overrides, with no registry involved.
use_built_provider() {
	local work=$1 root=$2
	(cd "$root" && go build -o "$work/bin/terraform-provider-hwc" .)
	cat >"$work/cli.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/hwc-terraform/hwc" = "$work/bin"
    "registry.opentofu.org/hwc-terraform/hwc" = "$work/bin"
  }
  direct {}
}
TFRC
	export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
}
