#!/usr/bin/env bash
# Signs a release's SHA256SUMS with the key GPG_FINGERPRINT names, as the
# Terraform Registry requires: a detached binary signature beside it, named
# SHA256SUMS.sig. It runs after goreleaser, which leaves SHA256SUMS as it is.
#   scripts/sign-release.sh dist/terraform-provider-hwc_VERSION_SHA256SUMS
set -euo pipefail
sums=${1:?usage: sign-release.sh PATH_OF_SHA256SUMS}
: "${GPG_FINGERPRINT:?GPG_FINGERPRINT must name the signing key}"
rm -f "$sums.sig"
gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$sums.sig" --detach-sign "$sums"
gpg --batch --verify "$sums.sig" "$sums"
echo "signed $sums.sig"
