#!/usr/bin/env bash
# make release-test (after make release): make mirror into a temporary
# directory, then the release tests of internal/release through it: the
# archives, the linux_amd64 binary, the mirror's layout, terraform init,
# providers lock for five platforms and a plan through the mirror served over
# HTTPS on loopback, and the signature with a throwaway key. OpenTofu takes
# part when tofu is on PATH, or built by make test-matrix.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mirror=$(mktemp -d)
trap 'rm -rf "$mirror"' EXIT
MIRROR_DIR=$mirror bash scripts/mirror.sh
if ! command -v tofu >/dev/null 2>&1; then
	cache="${HWC_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-hwc/cli}"
	tofu=$(ls -d "$cache"/tofu-*/tofu 2>/dev/null | sort -V | tail -1 || true)
	[ -z "$tofu" ] || PATH="$(dirname "$tofu"):$PATH"
fi
HWC_RELEASE_MIRROR=$mirror TF_ACC_TERRAFORM_PATH="$(bash scripts/find-cli.sh)" \
	go test -count=1 -v -timeout 15m ./internal/release/
