#!/usr/bin/env bash
# Load test on loopback: builds portal and a generated corpus, serves it with
# `portal serve` on 127.0.0.1 (a free port) and runs bench/loadgen against it.
#
#   bash bench/load.sh                      # 2000 articles, 60 s, 32 clients
#   ARTICLES=500 DURATION=10s CONCURRENCY=8 bash bench/load.sh
#
# A large file in the mix: BIG_MB=8 puts an 8 MB JSON file at static/du-lieu/lon.json
# (made with awk, the same bytes every time) and has BIG_SHARE percent (default 10) of
# the requests fetch it with gzip; loadgen's line "others" is then to be compared with the
# same line of a run with BIG_MB=0 (the file is removed again). PRECOMPRESS=0 builds with
# --no-precompress, so the file has no .gz sibling. The CPU time portal serve used during
# the run is printed at the end. PORTAL=BIN serves (and builds) with that portal binary, an
# older one for a before/after comparison, instead of building ./cmd/portal.
#
# Exits non-zero when loadgen saw errors (answers other than 2xx/503). WORK=DIR keeps
# the site and binaries in DIR (reused when present) instead of a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

articles="${ARTICLES:-2000}"
export DURATION="${DURATION:-60s}"
export CONCURRENCY="${CONCURRENCY:-32}"
big_mb="${BIG_MB:-0}"
build_flags=()
[ "${PRECOMPRESS:-1}" = 0 ] && build_flags+=(--no-precompress)

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
portal="${PORTAL:-$work/portal}"
[ -n "${PORTAL:-}" ] || go build -tags nodynamic -o "$portal" ./cmd/portal
go build -o "$work/loadgen" ./bench/loadgen

site="$work/site-$articles"
if [ ! -f "$site/config.toml" ]; then
  echo "load: generating $articles articles"
  go run ./bench/gen -n "$articles" -out "$site"
fi
big="$site/static/du-lieu/lon.json"
if [ "$big_mb" -gt 0 ]; then
  mkdir -p "$(dirname "$big")"
  # Records of about 80 bytes: a province's open data (communes, codes, population).
  awk -v n="$((big_mb * 1000000 / 80))" 'BEGIN {
    printf "[";
    for (i = 0; i < n; i++) {
      if (i) printf ",";
      printf "{\"id\":%d,\"ten\":\"Ủy ban nhân dân xã %d\",\"ma\":\"%06d\",\"dan_so\":%d}", i, i, i * 7, (i * 7919) % 100000
    }
    print "]"
  }' >"$big"
  export BIG=/du-lieu/lon.json
else
  rm -f "$big"
  unset BIG
fi
echo "load: building the site ${build_flags[*]}"
"$portal" build --source "$site" "${build_flags[@]}" | tail -n 5

log="$work/serve.log"
"$portal" serve --source "$site" --addr 127.0.0.1:0 >"$log" 2>&1 &
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

# CPU time of portal serve (user + system, in clock ticks) from /proc, where there is one.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$serve_pid/stat" 2>/dev/null || echo 0; }
cpu_before="$(cpu_ticks)"
start_ns="$(date +%s%N)"
status=0
"$work/loadgen" -base "$base" || status=$?
cpu_after="$(cpu_ticks)"
end_ns="$(date +%s%N)"
if [ "$cpu_after" != 0 ]; then
  awk -v t="$((cpu_after - cpu_before))" -v hz="$(getconf CLK_TCK)" -v ns="$((end_ns - start_ns))" \
    'BEGIN { s = t / hz; printf "load: portal serve used %.1f s of CPU in %.1f s (%.0f %% of one core)\n", s, ns / 1e9, 100 * s / (ns / 1e9) }'
fi
stop_server
if grep -qiE 'panic|lỗi tìm kiếm' "$log"; then
  echo "load: the server logged errors:" >&2
  grep -iE 'panic|lỗi tìm kiếm' "$log" | head -n 20 >&2
  status=1
fi
exit "$status"
