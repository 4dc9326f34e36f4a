#!/usr/bin/env bash
# make test-matrix: the provider tests with every Terraform and OpenTofu
# release our users run. Each CLI is built once from the Go module proxy into
# a cache under the user's cache directory and reused by later runs; the
# installed terraform (or tofu) stands for the Terraform releases after 1.5.7,
# which cannot be built from the proxy. One line per CLI; the exit status is
# non-zero when any CLI fails a test or cannot be built.
#
#   scripts/cli-matrix.sh            build what is missing, then test
#   scripts/cli-matrix.sh --build    only build (CI warms the cache with it)
set -uo pipefail
cd "$(dirname "$0")/.."
cache="${HWC_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-hwc/cli}"

# name, version, module, package in the module. Terraform 1.0.11 is the oldest
# release with plugin protocol 6; 1.5.7 the last under the MPL.
matrix=(
	"terraform 1.0.11 github.com/hashicorp/terraform ."
	"terraform 1.5.7 github.com/hashicorp/terraform ."
	"tofu 1.10.10 github.com/opentofu/opentofu ./cmd/tofu"
	"tofu 1.12.6 github.com/opentofu/opentofu ./cmd/tofu"
)

# build NAME VERSION MODULE PACKAGE: the CLI's path in the cache, built when
# missing. A module with replace directives cannot be installed with go
# install, so it is built from a throwaway module that requires the release
# and repeats its replace lines.
build() {
	local name=$1 version=$2 module=$3 pkg=$4
	local bin="$cache/$name-$version/$name"
	if [ ! -x "$bin" ]; then
		local work gomod
		work=$(mktemp -d)
		gomod=$(go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
		if [ -z "$gomod" ]; then
			echo "cli-matrix: the Go module proxy has no $module@v$version" >&2
			return 1
		fi
		{
			echo "module hwc-cli-matrix"
			grep -m1 '^go ' "$gomod"
			echo "require $module v$version"
			awk '/^replace \(/ { block = 1 } block || /^replace .*=>/ { print } block && /^\)/ { block = 0 }' "$gomod"
		} >"$work/go.mod"
		echo "--- building $name $version from the Go module proxy (once; cached in $cache)" >&2
		mkdir -p "$(dirname "$bin")"
		if ! (cd "$work" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" "$module${pkg#.}") >&2; then
			rm -rf "$work" "$bin.tmp"
			echo "cli-matrix: building $name $version failed" >&2
			return 1
		fi
		rm -rf "$work"
		mv "$bin.tmp" "$bin"
	fi
	echo "$bin"
}

# run LABEL CLI [ENV...]: the provider tests with CLI; prints the CLI's line.
run() {
	local label=$1 cli=$2
	shift 2
	local log start status
	log=$(mktemp)
	start=$(date +%s)
	# The provider's tests, and the migration oracle beside hwc-migrate
	# (a converted configuration selects what the official provider did).
	env "$@" TF_ACC_TERRAFORM_PATH="$cli" go test -count=1 -parallel 4 -timeout 30m -v ./internal/provider/ >"$log" 2>&1
	status=$?
	env "$@" TF_ACC_TERRAFORM_PATH="$cli" go test -count=1 -timeout 10m -v -run '^TestMigrate_' ./internal/migrate/ >>"$log" 2>&1 || status=1
	printf '%-30s passed %3d  skipped %2d  failed %2d  %4ds\n' "$label" \
		"$(grep -c '^--- PASS: ' "$log")" "$(grep -c '^--- SKIP: ' "$log")" "$(grep -c '^--- FAIL: ' "$log")" "$(($(date +%s) - start))"
	if [ $status -ne 0 ]; then
		{ grep -E '^\s*--- FAIL|_test\.go:[0-9]+:' "$log" | head -40; tail -8 "$log"; } | sed 's/^/    /'
	fi
	rm -f "$log"
	return $status
}

failed=0
clis=()
for entry in "${matrix[@]}"; do
	read -r name version module pkg <<<"$entry"
	if bin=$(build "$name" "$version" "$module" "$pkg"); then
		clis+=("$name $version|$bin")
	else
		failed=1
	fi
done
[ "${1:-}" = "--build" ] && exit $failed

installed=$(bash scripts/find-cli.sh 2>/dev/null || true)
if [ -n "$installed" ]; then
	clis+=("$(basename "$installed") $("$installed" version | grep -o -m1 'v[0-9][^ ]*' | tr -d v) (installed)|$installed")
fi
echo "--- the provider tests with each CLI (one line each: tests passed, skipped and failed, and the time)"
for entry in "${clis[@]}"; do
	label=${entry%%|*} cli=${entry#*|}
	host=registry.terraform.io
	case $label in tofu*) host=registry.opentofu.org ;; esac
	run "$label" "$cli" TF_ACC_PROVIDER_HOST=$host || failed=1
done
exit $failed
