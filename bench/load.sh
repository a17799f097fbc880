#!/usr/bin/env bash
# Load test on loopback: builds portal and a generated corpus, serves it with
# `portal serve` on 127.0.0.1 (a free port) and runs bench/loadgen against it.
#
#   bash bench/load.sh                      # 2000 articles, 60 s, 32 clients
#   ARTICLES=500 DURATION=10s CONCURRENCY=8 bash bench/load.sh
#
# Exits non-zero when loadgen saw errors (answers other than 2xx/503). WORK=DIR keeps
# the site and binaries in DIR (reused when present) instead of a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

articles="${ARTICLES:-2000}"
export DURATION="${DURATION:-60s}"
export CONCURRENCY="${CONCURRENCY:-32}"

work="${WORK:-}"
if [ -z "$work" ]; then
  work="$(mktemp -d)"
fi
mkdir -p "$work"
serve_pid=""
stop_server() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
}
trap 'stop_server; [ -z "${WORK:-}" ] && rm -rf "$work"' EXIT

echo "load: building portal and loadgen"
go build -o "$work/portal" ./cmd/portal
go build -o "$work/loadgen" ./bench/loadgen

site="$work/site-$articles"
if [ ! -f "$site/config.toml" ]; then
  echo "load: generating $articles articles"
  go run ./bench/gen -n "$articles" -out "$site"
fi
echo "load: building the site"
"$work/portal" build --source "$site" | tail -n 4

log="$work/serve.log"
"$work/portal" serve --source "$site" --addr 127.0.0.1:0 >"$log" 2>&1 &
serve_pid=$!
base=""
for _ in $(seq 1 100); do
  base="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$log" | head -n 1 || true)"
  [ -n "$base" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$log" >&2; echo "load: portal serve exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$log" >&2; echo "load: portal serve printed no address" >&2; exit 1; }
echo "load: serving at $base (pid $serve_pid)"

status=0
"$work/loadgen" -base "$base" || status=$?
stop_server
if grep -qiE 'panic|lỗi tìm kiếm' "$log"; then
  echo "load: the server logged errors:" >&2
  grep -iE 'panic|lỗi tìm kiếm' "$log" | head -n 20 >&2
  status=1
fi
exit "$status"
