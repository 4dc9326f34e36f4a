#!/usr/bin/env bash
# Validates every example directory with `terraform validate` (or tofu)
# against the provider built from this tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=$(bash "$root/scripts/find-cli.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/dev-overrides.sh
. "$root/scripts/dev-overrides.sh"
use_built_provider "$work" "$root"
status=0
while IFS= read -r dir; do
	rel=${dir#"$root"/}
	copy="$work/validate/$rel"
	mkdir -p "$copy"
	cp "$dir"/*.tf "$copy/"
	# Examples of data sources leave out the terraform block users already have.
	if ! grep -q required_providers "$copy"/*.tf; then
		printf 'terraform {\n  required_providers {\n    hwc = { source = "hwc-terraform/hwc" }\n  }\n}\n' >"$copy/zz_required_providers.tf"
	fi
	if out=$(cd "$copy" && "$tf" validate -no-color 2>&1); then
		echo "ok      $rel"
	else
		echo "FAILED  $rel"
		echo "$out" | sed 's/^/        /'
		status=1
	fi
done < <(find "$root/examples" -name '*.tf' -exec dirname {} \; | sort -u)
exit $status
