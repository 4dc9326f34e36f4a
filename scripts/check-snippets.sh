#!/usr/bin/env bash
# make examples-check: plans, as a user would, every example directory and
# every fenced terraform block of README.md and docs/ against the emulator.
#
# The provider is installed the way `make install-local` installs it (a
# filesystem mirror under the home directory, here a scratch one), so each
# case runs `terraform init` and `terraform plan` with no CLI configuration.
# A case that configures the provider must initialize as pasted: it gets
# nothing added, so it declares hwc-terraform/hwc in required_providers
# itself (without it Terraform looks for hashicorp/hwc). A case without a
# provider block shows data sources to paste into such a configuration: it
# gets the emulator's provider block, and required_providers when it has
# none. The emulator's default URL http://127.0.0.1:8787 stands for the one
# it really listens on. Nothing else is added. A case that must fail says
# so: a file `.expect-error` in an example directory, or a line
# `<!-- check: error "REGEX" -->` right before a fenced block, holds an
# extended regular expression the error must match.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=$(bash "$root/scripts/find-cli.sh")
work=$(mktemp -d)
emu_pid=""
cleanup() {
	[ -z "$emu_pid" ] || { kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; }
	rm -rf "$work"
}
trap cleanup EXIT

# Go keeps its caches where they are; Terraform sees a fresh home.
export GOMODCACHE GOCACHE GOPATH
GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) GOPATH=$(go env GOPATH)
(cd "$root" && go build -o "$work/hwc-emulator" ./cmd/hwc-emulator)
export HOME="$work/home" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 TF_PLUGIN_CACHE_DIR="$work/plugin-cache"
unset TF_CLI_CONFIG_FILE TF_CLI_ARGS
for name in $(env | sed -n 's/^\(HW_[A-Z_]*\)=.*/\1/p'); do unset "$name"; done
mkdir -p "$HOME" "$TF_PLUGIN_CACHE_DIR"
bash "$root/scripts/install-local.sh" >/dev/null

"$work/hwc-emulator" -listen 127.0.0.1:0 -url-file "$work/url" >"$work/emulator.log" 2>&1 &
emu_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
[ -s "$work/url" ] || { cat "$work/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
url=$(cat "$work/url")
export TF_VAR_emulator_url="$url"
# A snippet without credentials asks the ECS metadata API: here a path of the
# emulator that gives none, never the link-local address of a real instance.
export HW_METADATA_ENDPOINT="$url/no-instance"

status=0
cases=0
# run_case DIR LABEL EXPECTED_ERROR: plans the configuration in DIR.
run_case() {
	local dir=$1 label=$2 expect=$3 out
	cases=$((cases + 1))
	sed -i "s#http://127.0.0.1:8787#$url#g" "$dir"/*.tf
	if ! grep -q '^provider "hwc"' "$dir"/*.tf; then
		"$work/hwc-emulator" -print-provider-block "$url" >"$dir/zz_provider.tf"
		if ! grep -q required_providers "$dir"/*.tf; then
			printf 'terraform {\n  required_providers {\n    hwc = { source = "hwc-terraform/hwc" }\n  }\n}\n' >"$dir/zz_required_providers.tf"
		fi
	fi
	if out=$(cd "$dir" && "$tf" init -input=false -no-color 2>&1 && "$tf" plan -input=false -no-color 2>&1); then
		if [ -n "$expect" ]; then
			echo "FAILED  $label: the plan succeeded, but it should fail with /$expect/"
			status=1
			return
		fi
		echo "ok      $label"
		return
	fi
	if [ -n "$expect" ] && tr -s '[:space:]' ' ' <<<"$out" | grep -qE -- "$expect"; then
		echo "ok      $label (fails as documented)"
		return
	fi
	echo "FAILED  $label"
	sed 's/^/        /' <<<"$out" | grep -v '^        $' | tail -40
	status=1
}

while IFS= read -r dir; do
	rel=${dir#"$root"/}
	copy="$work/cases/$rel"
	mkdir -p "$copy"
	cp "$dir"/*.tf "$copy/"
	expect=""
	[ -f "$dir/.expect-error" ] && expect=$(cat "$dir/.expect-error")
	run_case "$copy" "$rel" "$expect"
done < <(find "$root/examples" -name '*.tf' -exec dirname {} \; | sort -u)

# Every fenced terraform block of the Markdown a user reads.
while IFS= read -r md; do
	rel=${md#"$root"/}
	awk -v out="$work/blocks/$rel" '
		/^<!-- check: error ".*" -->$/ { expect = $0; sub(/^<!-- check: error "/, "", expect); sub(/" -->$/, "", expect); next }
		/^```(terraform|hcl)$/ { n++; inblock = 1; system("mkdir -p \"" out "/" n "\""); file = out "/" n "/main.tf";
			printf "%s", expect > (out "/" n "/expect"); close(out "/" n "/expect"); expect = ""; next }
		/^```$/ && inblock { inblock = 0; close(file); next }
		inblock { print > file }
		!inblock && !/^[[:space:]]*$/ { expect = "" }
	' "$md"
	[ -d "$work/blocks/$rel" ] || continue
	for block in $(ls "$work/blocks/$rel" | sort -n); do
		run_case "$work/blocks/$rel/$block" "$rel, terraform block $block" "$(cat "$work/blocks/$rel/$block/expect")"
	done
done < <(find "$root/README.md" "$root/docs" -name '*.md' | sort)

echo "$cases cases planned against the emulator"
exit $status
