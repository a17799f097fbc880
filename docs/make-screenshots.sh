#!/usr/bin/env bash
# Refreshes the README's screenshots from the real sample site: builds it, serves it on
# loopback and photographs the main page types at phone and desktop width with headless
# Chromium (Debian package chromium). Usage: bash docs/make-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
port=${PORT:-18417}
bin=$(mktemp -d)/portal
go build -tags nodynamic -o "$bin" ./cmd/portal
"$bin" build >/dev/null
"$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
article=$(ls content/tin-tuc/ | grep -v '^_' | head -n 1); article=${article%.md}
shoot() { # name path width height
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$(mktemp -d)" --window-size="$3,$4" --screenshot="$out/$1.png" \
    "http://127.0.0.1:$port$2" >/dev/null 2>&1
  echo "$out/$1.png"
}
shoot home-desktop / 1280 1000
shoot home-phone / 390 1100
shoot article-desktop "/tin-tuc/$article/" 1280 1200
shoot article-phone "/tin-tuc/$article/" 390 1400
shoot provinces-desktop /tinh/ 1280 1000
shoot province-phone /tinh/vinh-phuc/ 390 1000
shoot search-desktop "/tim-kiem/?q=ha+tinh" 1280 1000
