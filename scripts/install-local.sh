#!/usr/bin/env bash
# make install-local: builds the provider and installs it in the filesystem
# mirror directory that `terraform init` (and `tofu init`) search on this
# machine without any CLI configuration:
#   ~/.terraform.d/plugins/HOST/hwc-terraform/hwc/VERSION/OS_ARCH/
# VERSION is the newest release named in CHANGELOG.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^## \([0-9][0-9.]*\) .*/\1/p' "$root/CHANGELOG.md" | head -1)
platform="$(go env GOOS)_$(go env GOARCH)"
binary="terraform-provider-hwc_v$version"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
echo "building the provider $version (the first time, Go downloads and compiles its modules: some minutes)"
(cd "$root" && go build -trimpath -ldflags "-X main.version=$version" -o "$build/$binary" .)
for host in registry.terraform.io registry.opentofu.org; do
	dir="$HOME/.terraform.d/plugins/$host/hwc-terraform/hwc/$version/$platform"
	mkdir -p "$dir"
	cp "$build/$binary" "$dir/$binary"
	echo "installed $dir/$binary"
done
echo "terraform init now finds hwc-terraform/hwc $version on this machine (version = \"~> ${version%.*}\" matches it)."
