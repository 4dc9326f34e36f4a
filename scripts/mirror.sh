#!/usr/bin/env bash
# make mirror MIRROR_DIR=DIR: puts the release archives of dist/ (make
# release) into DIR in the layout of Terraform's Provider Network Mirror
# Protocol, for registry.terraform.io (Terraform) and registry.opentofu.org
# (OpenTofu):
#   DIR/HOST/hwc-terraform/hwc/index.json      every version in the directory
#   DIR/HOST/hwc-terraform/hwc/VERSION.json    each platform's zip, its zh: hash
#   DIR/HOST/hwc-terraform/hwc/terraform-provider-hwc_VERSION_OS_ARCH.zip
# URLs are relative, so any static HTTPS server can serve DIR as it is. The
# same directory is also a filesystem mirror in the packed layout (the zips
# beside the JSON), for machines without a server. Run it once per release
# into the same DIR: earlier versions stay listed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${MIRROR_DIR:?set MIRROR_DIR to the mirror directory, such as make mirror MIRROR_DIR=/srv/terraform-mirror}
sums=$(ls "$root"/dist/terraform-provider-hwc_*_SHA256SUMS 2>/dev/null | head -1)
[ -n "$sums" ] || { echo "mirror: dist/ holds no release: run make release first" >&2; exit 1; }
version=$(basename "$sums" | sed 's/^terraform-provider-hwc_\(.*\)_SHA256SUMS$/\1/')
(cd "$root/dist" && sha256sum --quiet --check "$(basename "$sums")")

for host in registry.terraform.io registry.opentofu.org; do
	out="$dir/$host/hwc-terraform/hwc"
	mkdir -p "$out"
	json="{\"archives\":{"
	sep=""
	# SHA256SUMS lists each zip with its SHA-256, which is the zh: hash.
	while read -r hash file; do
		case "$file" in *.zip) ;; *) continue ;; esac
		platform=${file#terraform-provider-hwc_"$version"_}
		platform=${platform%.zip}
		cp "$root/dist/$file" "$out/$file"
		json+="$sep\"$platform\":{\"url\":\"$file\",\"hashes\":[\"zh:$hash\"]}"
		sep=","
	done <"$sums"
	echo "$json}}" >"$out/$version.json"
	# index.json lists every VERSION.json of the directory.
	versions=""
	sep=""
	for f in "$out"/*.json; do
		v=$(basename "$f" .json)
		[ "$v" = index ] && continue
		versions+="$sep\"$v\":{}"
		sep=","
	done
	echo "{\"versions\":{$versions}}" >"$out/index.json"
	echo "mirror: $out holds $version ($(ls "$out"/terraform-provider-hwc_"$version"_*.zip | wc -l) platforms)"
done
