#!/usr/bin/env bash
# Page weight of the default theme: builds the sample site (minified, as `portal build`
# does) and, for the home page and the heaviest article page, sums the gzip -9 size of
# the HTML and of every same-origin file it references: stylesheets (print too), scripts,
# images, icons (the favicon counts) and fonts, plus url(...) references inside the CSS.
# Fails when the article page (and the schedule, contact and library pages of issue 20) is over
# 30 KB or the home page over 50 KB (1 KB = 1024 bytes)
# without its photos (/_anh/), or over 250 KB and 350 KB with them (issue 16). Photos are
# counted as the <img src> fallback JPEG: an upper bound of what a phone fetches (a WebP
# browser takes the smaller WebP candidate, and lazy photos below the fold wait).
# Usage: bash bench/weight.sh
set -euo pipefail
cd "$(dirname "$0")/.."

article_budget=$((30 * 1024))
home_budget=$((50 * 1024))
article_photo_budget=$((250 * 1024))
home_photo_budget=$((350 * 1024))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/public"
go run -tags nodynamic ./cmd/portal build --destination "$out" >/dev/null

gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }

# refs FILE: the same-origin URLs FILE references, one a line. HTML: href and src
# attributes; CSS: url(...). Absolute URLs on other hosts, fragments, data: and mailto:
# are left out; query strings and fragments are dropped.
refs() {
  case "$1" in
    *.html) grep -oE '(href|src)="[^"]*"' "$1" | sed -E 's/^(href|src)="//; s/"$//' ;;
    *.css) grep -oE 'url\([^)]*\)' "$1" | sed -E 's/^url\(//; s/\)$//; s/^["'"'"']//; s/["'"'"']$//' ;;
    *) return 0 ;;
  esac | sed -E 's/[?#].*$//' | grep -vE '^(https?:|//|data:|mailto:|tel:|$)' || true
}

# resolve BASE_URL_PATH REF: the output file a reference points to.
resolve() {
  local base=$1 ref=$2
  case "$ref" in
    /*) printf '%s\n' "$out$ref" ;;
    *) printf '%s\n' "$out$base$ref" ;;
  esac
}

is_asset() { [[ "$1" =~ \.(css|js|mjs|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|otf)$ ]]; }

failed=0
# weigh LABEL URL_PATH BUDGET BUDGET_WITH_PHOTOS
weigh() {
  local label=$1 path=$2 budget=$3 photo_budget=$4
  local html="$out${path}index.html"
  local -a files=("$html")
  local -A seen=(["$html"]=1)
  local i=0
  while [ $i -lt ${#files[@]} ]; do
    local f=${files[$i]} dir
    dir="/${f#"$out"/}"; dir="${dir%/*}/"
    while IFS= read -r ref; do
      local p
      p=$(resolve "$dir" "$ref")
      is_asset "$p" || continue
      [ -n "${seen[$p]:-}" ] && continue
      seen[$p]=1
      if [ ! -f "$p" ]; then
        echo "weight: $label references $ref, which the build did not write" >&2
        failed=1
        continue
      fi
      files+=("$p")
    done < <(refs "$f")
    i=$((i + 1))
  done
  local total_raw=0 total_gz=0 photos_gz=0
  printf '\n%s  %s\n' "$label" "$path"
  printf '  %-58s %9s %9s\n' "file" "bytes" "gzip -9"
  for f in "${files[@]}"; do
    local raw z
    raw=$(wc -c <"$f" | tr -d ' ')
    z=$(gz "$f")
    total_raw=$((total_raw + raw))
    total_gz=$((total_gz + z))
    local name="${f#"$out"}"
    case "$name" in /_anh/*) photos_gz=$((photos_gz + z)) ;; esac
    [ "$f" = "$html" ] && name="the page's HTML"
    printf '  %-58s %9d %9d\n' "$name" "$raw" "$z"
  done
  local text_gz=$((total_gz - photos_gz))
  local verdict="ok"
  if [ "$text_gz" -gt "$budget" ]; then verdict="OVER BUDGET"; failed=1; fi
  printf '  %-58s %9s %9d  (%s KB of %d KB: %s)\n' "without photos" "" "$text_gz" \
    "$(awk -v b="$text_gz" 'BEGIN { printf "%.1f", b / 1024 }')" "$((budget / 1024))" "$verdict"
  verdict="ok"
  if [ "$total_gz" -gt "$photo_budget" ]; then verdict="OVER BUDGET"; failed=1; fi
  printf '  %-58s %9d %9d  (%s KB of %d KB: %s)\n' "total with photos" "$total_raw" "$total_gz" \
    "$(awk -v b="$total_gz" 'BEGIN { printf "%.1f", b / 1024 }')" "$((photo_budget / 1024))" "$verdict"
}

# The heaviest article page (by gzipped HTML) is the one that must fit the budget.
article="" best=0
for f in "$out"/tin-tuc/*/index.html; do
  z=$(gz "$f")
  if [ "$z" -gt "$best" ]; then best=$z; article=$f; fi
done
[ -n "$article" ] || { echo "weight: the sample site has no article under tin-tuc/" >&2; exit 1; }
article_path="/${article#"$out"/}"; article_path="${article_path%index.html}"

weigh "home page" / "$home_budget" "$home_photo_budget"
weigh "article page (heaviest)" "$article_path" "$article_budget" "$article_photo_budget"
# Issue 20: the leaders' weekly schedule (a week and the current week), the contact
# pages made from data/to-chuc.toml and the legal-document library (its list, a document,
# a filter page), each within the article page's budget.
for page in /lich-cong-tac/2026-w49/ /lich-cong-tac/ /lien-he/ /about/ /van-ban/ /van-ban/64-2007-nd-cp/ /van-ban/loai/nghi-dinh/; do
  weigh "issue 20 page" "$page" "$article_budget" "$article_budget"
done
echo
if [ "$failed" -ne 0 ]; then
  echo "weight: FAIL (budgets, gzipped: article ≤ 30 KB, home ≤ 50 KB; with photos ≤ 250 KB and 350 KB)" >&2
  exit 1
fi
echo "weight: ok (budgets, gzipped: article ≤ 30 KB, home ≤ 50 KB; with photos ≤ 250 KB and 350 KB)"
