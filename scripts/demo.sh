#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on
# loopback, plan and apply examples/demo against it, print the images it
# selected, and stop the emulator.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tf=$(bash "$root/scripts/find-cli.sh")
work=$(mktemp -d)
emu_pid=""
cleanup() {
	if [ -n "$emu_pid" ]; then
		kill "$emu_pid" 2>/dev/null || true
		wait "$emu_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building terraform-provider-hwc and hwc-emulator"
# shellcheck source=scripts/dev-overrides.sh
. "$root/scripts/dev-overrides.sh"
use_built_provider "$work" "$root"
(cd "$root" && go build -o "$work/hwc-emulator" ./cmd/hwc-emulator)

echo "==> Starting the emulator on loopback"
"$work/hwc-emulator" -listen 127.0.0.1:0 -url-file "$work/url" >"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/url" ] && break
	if ! kill -0 "$emu_pid" 2>/dev/null; then
		cat "$work/emulator.log" >&2
		echo "demo: the emulator did not start" >&2
		exit 1
	fi
	sleep 0.1
done
[ -s "$work/url" ] || { echo "demo: the emulator did not report its URL within 10 seconds" >&2; exit 1; }
url=$(cat "$work/url")
echo "    emulator at $url"

export TF_VAR_emulator_url="$url"
mkdir "$work/demo"
cp "$root/examples/demo/main.tf" "$work/demo/"
cd "$work/demo"

color=()
[ -t 1 ] || color=(-no-color)
echo "==> $(basename "$tf") plan"
# The plan shows the data sources read and the warnings; the table of
# images is printed once, after apply, rather than also in the plan's
# "Changes to Outputs".
"$tf" plan -input=false -compact-warnings "${color[@]}" -out=demo.tfplan >plan.log 2>&1 || { cat plan.log >&2; exit 1; }
awk '/Changes to Outputs:/ { skip = 1; print "Changes to Outputs: selected_images (the table below)"; next }
	skip && /^[^ ]/ && !/^ *[+~-] / { skip = 0 }
	!skip' plan.log
echo "==> $(basename "$tf") apply"
"$tf" apply -input=false -compact-warnings -no-color demo.tfplan >apply.log 2>&1 || { cat apply.log >&2; exit 1; }
grep -E "^Apply complete" apply.log
echo
echo "==> Images selected by examples/demo/main.tf"
"$tf" output -raw selected_images
echo
