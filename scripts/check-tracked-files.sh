#!/usr/bin/env bash
# Fails when git tracks a build output: an executable binary (ELF, Mach-O,
# PE) or any file larger than 1 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  size=$(stat -c %s "$f")
  magic=$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    7f454c46|cffaedfe|cefaedfe|feedface|feedfacf|4d5a*) echo "tracked binary: $f"; bad=1 ;;
  esac
  if [ "$size" -gt 1048576 ]; then echo "tracked file over 1 MB: $f ($size bytes)"; bad=1; fi
done < <(git ls-files -z)
if [ "$bad" -ne 0 ]; then
  echo "remove these from git (git rm --cached) and ignore them in .gitignore"
  exit 1
fi
