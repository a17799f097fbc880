#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each and fails on the first
# crash or failed property. Usage: FUZZTIME=10s bash .ci/fuzz.sh [PACKAGE...]
# Targets are found with `grep "func Fuzz"` in *_test.go files, so new ones are picked
# up without editing this script. Failing inputs are written by `go test` to the
# package's testdata/fuzz/<Name>/ folder: commit them as regression seeds once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-10s}"
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
  pkgs=(./internal/...)
fi

# "dir<TAB>Name" for every fuzz target in the selected packages.
mapfile -t targets < <(
  for p in "${pkgs[@]}"; do
    dir="${p%/...}"
    grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' "$dir" 2>/dev/null || true
  done | sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1\t\2#' | sort -u
)
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no fuzz targets found in ${pkgs[*]}" >&2
  exit 1
fi

failed=()
for t in "${targets[@]}"; do
  dir="${t%%$'\t'*}"
  name="${t##*$'\t'}"
  echo "fuzz: $name in $dir for $fuzztime"
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$dir"; then
    failed+=("$name ($dir)")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets passed"
