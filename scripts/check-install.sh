#!/usr/bin/env bash
# The install a new user makes where a company CLI configuration uses a
# network mirror: make install-local, then the provider_installation block
# the docs show (docs/index.md, "Using a local build"), taken from the docs as
# they are, with the directory make install-local printed. terraform init must
# then install the local build, while every other provider would still come
# from the company's mirror. Run by .ci/run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=$(bash "$root/scripts/find-cli.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GOMODCACHE GOCACHE GOPATH
GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
export HOME="$work/home" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_CLI_CONFIG_FILE TF_CLI_ARGS TF_PLUGIN_CACHE_DIR
mkdir -p "$HOME"

installed=$(cd "$root" && bash scripts/install-local.sh | sed -n 's|^installed \(.*\)/registry.terraform.io/.*|\1|p')
[ -n "$installed" ] || { echo "make install-local printed no directory"; exit 1; }

# The block of the docs that installs the local build (the one with a
# filesystem_mirror), from "provider_installation {" to its closing brace,
# with the placeholder path replaced by the directory printed.
awk '/^provider_installation \{/ {on=1; block=""} on {block = block $0 "\n"}
	on && /^\}/ {on=0; if (block ~ /filesystem_mirror/) {printf "%s", block; exit}}' "$root/docs/index.md" |
	sed "s|path *= \"[^\"]*\"|path    = \"$installed\"|" > "$HOME/.terraformrc"
grep -q filesystem_mirror "$HOME/.terraformrc" || { echo "docs/index.md shows no provider_installation block"; exit 1; }

mkdir "$work/config"
cat > "$work/config/main.tf" <<'EOF'
terraform {
  required_providers {
    hwc = { source = "hwc-terraform/hwc", version = "~> 0.1" }
  }
}
EOF
if ! out=$(cd "$work/config" && "$tf" init -input=false -no-color 2>&1); then
	echo "$out"
	echo "terraform init failed with the docs' provider_installation block"
	exit 1
fi
echo "$out" | grep -E "Installed hwc-terraform/hwc" || { echo "$out"; exit 1; }
