#!/usr/bin/env bash
# make release: the release archives of every platform in dist/, built by
# goreleaser (the version tools/go.mod pins, through go tool: nothing is
# installed). The version is the tag checked out (vX.Y.Z), else the next
# release CHANGELOG.md names, as a snapshot of the working tree. dist/ then
# holds, for VERSION:
#   terraform-provider-hwc_VERSION_OS_ARCH.zip   the binary and the licence
#   terraform-provider-hwc_VERSION_SHA256SUMS    the zips and the manifest
#   terraform-provider-hwc_VERSION_manifest.json the registry manifest
#   terraform-provider-hwc_VERSION_SHA256SUMS.sig when GPG_FINGERPRINT names a key
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goreleaser=(go tool -modfile=tools/go.mod goreleaser)

if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
	version=${tag#v}
	mode=(release --clean)
else
	version=$(sed -n 's/^## \([0-9][0-9.]*\) .*/\1/p' CHANGELOG.md | head -1)
	[ -n "$version" ] || { echo "release: CHANGELOG.md names no release (a line \"## X.Y.Z ...\")" >&2; exit 1; }
	mode=(release --snapshot --clean)
fi
echo "release: building $version for every platform into dist/ (the first run downloads and compiles goreleaser and the eight targets: some 8 minutes on 2 cores; then about 15 seconds)"
HWC_RELEASE_VERSION=$version "${goreleaser[@]}" "${mode[@]}"

prefix="dist/terraform-provider-hwc_$version"
# goreleaser lists the manifest in SHA256SUMS but leaves it out of dist/.
cp terraform-registry-manifest.json "${prefix}_manifest.json"
(cd dist && sha256sum --quiet --check "terraform-provider-hwc_${version}_SHA256SUMS")
if [ -n "${GPG_FINGERPRINT:-}" ]; then
	bash scripts/sign-release.sh "${prefix}_SHA256SUMS"
fi
# What goreleaser leaves beside the archives (per-target build directories,
# its own metadata) is no part of a release.
find dist -mindepth 1 -maxdepth 1 ! -name "terraform-provider-hwc_${version}_*" -exec rm -rf {} +
ls -1 dist
