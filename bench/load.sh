#!/usr/bin/env bash
# Load test on loopback: builds portal and a generated corpus, serves it with
# `portal serve` on 127.0.0.1 (a free port) and runs bench/loadgen against it.
#
#   bash bench/load.sh                      # 2000 articles, 60 s, 32 clients
#   ARTICLES=500 DURATION=10s CONCURRENCY=8 bash bench/load.sh
#   SEARCH_SHARE=100 CONCURRENCY=8 bash bench/load.sh   # searches only (default 30 %)
#
# A large file in the mix: BIG_MB=8 puts an 8 MB JSON file at static/du-lieu/lon.json
# (made with awk, the same bytes every time) and has BIG_SHARE percent (default 10) of
# the requests fetch it with gzip; loadgen's line "others" is then to be compared with the
# same line of a run with BIG_MB=0 (the file is removed again). PRECOMPRESS=0 builds with
# --no-precompress, so the file has no .gz sibling. The CPU time portal serve used during
# the run is printed at the end. PORTAL=BIN serves (and builds) with that portal binary, an
# older one for a before/after comparison, instead of building ./cmd/portal.
#
# FRONT=nginx puts nginx in front, with deploy/nginx's files (paths and ports substituted
# into a temporary copy, as deploy/nginx_test.go does): REPLICAS (default 2) `portal serve`
# processes behind it, loadgen sending everything through nginx. The CPU line then sums
# the replicas; nginx's own CPU is printed beside it.
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
pids=()
nginx_pid=""
stop_server() {
  if [ -n "$nginx_pid" ]; then
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  return 0
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

# start_serve LOG: starts `portal serve` on a free loopback port, logging to LOG; sets
# serve_pid and base (its URL) and adds the process to pids.
start_serve() {
  "$portal" serve --source "$site" --addr 127.0.0.1:0 >"$1" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  base=""
  for _ in $(seq 1 100); do
    base="$(grep -oE 'http://127\.0\.0\.1:[0-9]+/' "$1" | head -n 1 || true)"
    [ -n "$base" ] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$1" >&2; echo "load: portal serve exited" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$base" ] || { cat "$1" >&2; echo "load: portal serve printed no address" >&2; exit 1; }
}

log="$work/serve.log"
if [ "${FRONT:-}" = nginx ]; then
  nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  [ -x "$nginx" ] || { echo "load: FRONT=nginx needs nginx (apt-get install nginx-light)" >&2; exit 1; }
  servers=""
  for i in $(seq 1 "${REPLICAS:-2}"); do
    start_serve "$work/serve-$i.log"
    addr="${base#http://}"
    servers="$servers    server ${addr%/} max_fails=1 fail_timeout=5s;\n"
    echo "load: replica $i at $base (pid $serve_pid)"
  done
  ngx="$work/nginx"
  rm -rf "$ngx"
  mkdir -p "$ngx/snippets" "$ngx/logs" "$ngx/tmp"
  chmod 0777 "$ngx/logs" "$ngx/tmp"
  cp deploy/nginx/portal-headers.conf deploy/nginx/portal-proxy.conf "$ngx/snippets/"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  sed -e "s#/etc/nginx/snippets/#$ngx/snippets/#g" \
    -e "s#/srv/portal/trang/public#$site/public#g" \
    -e "s#listen 80;#listen 127.0.0.1:$port;#" -e '/listen \[::\]:80;/d' \
    -e '/server 127.0.0.1:8102 /d' -e "s#^    server 127.0.0.1:8101 .*#$servers#" \
    deploy/nginx/portal.conf >"$ngx/portal.conf"
  {
    echo "worker_processes 2;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "    access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "    ${t}_temp_path $ngx/tmp/$t;"; done
    echo "    sendfile on;"
    echo "    include $ngx/portal.conf;"
    echo "}"
  } >"$ngx/nginx.conf"
  # Never as root: as "nobody" when this script runs as root (the site must be readable).
  as=()
  if [ "$(id -u)" = 0 ]; then
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 0755 "$work" "$site"
  fi
  "${as[@]}" "$nginx" -p "$ngx" -c "$ngx/nginx.conf" \
    -g "daemon off; pid $ngx/logs/nginx.pid; error_log $ngx/logs/error.log warn;" >"$ngx/logs/stderr.log" 2>&1 &
  nginx_pid=$!
  base="http://127.0.0.1:$port/"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$base" 2>/dev/null && break
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$ngx/logs/"*.log >&2; echo "load: nginx exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "load: nginx at $base (pid $nginx_pid) in front of ${#pids[@]} replicas"
else
  start_serve "$log"
  echo "load: serving at $base (pid $serve_pid)"
fi

# CPU time (user + system, in clock ticks) of the given processes, from /proc where there
# is one.
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0; done | awk '{ s += $1 } END { print s + 0 }'; }
cpu_ticks() { ticks "${pids[@]}"; }
nginx_ticks() { [ -n "$nginx_pid" ] && ticks "$nginx_pid" $(pgrep -P "$nginx_pid") || echo 0; }
ngx_before="$(nginx_ticks)"
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
if [ -n "$nginx_pid" ]; then
  awk -v t="$(($(nginx_ticks) - ngx_before))" -v hz="$(getconf CLK_TCK)" -v ns="$((end_ns - start_ns))" \
    'BEGIN { s = t / hz; printf "load: nginx used %.1f s of CPU in %.1f s (%.0f %% of one core)\n", s, ns / 1e9, 100 * s / (ns / 1e9) }'
fi
stop_server
for l in "$log" "$work"/serve-*.log; do
  [ -f "$l" ] || continue
  if grep -qiE 'panic|lỗi tìm kiếm' "$l"; then
    echo "load: the server logged errors ($l):" >&2
    grep -iE 'panic|lỗi tìm kiếm' "$l" | head -n 20 >&2
    status=1
  fi
done
exit "$status"
