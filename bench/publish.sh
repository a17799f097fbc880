#!/usr/bin/env bash
# bench/publish.sh — "publish one article": `portal build` with its cache folder after
# nothing changed, one article edited, one article added and that article deleted, beside
# Hugo's full build (`hugo --minify`, which has no incremental build) of the same content.
#
# For each size it generates the corpus (bench/gen, seed 1) into $WORK/site-N, makes a
# first cached build (timed too: "first, new cache folder"), then times each step once
# with /usr/bin/time (wall, CPU, peak RSS). The rows go to $WORK/publish.tsv and, as a
# Markdown table, to stdout.
#
# Usage:
#   bench/publish.sh                        # 1,000 and 10,000 articles
#   BENCH_SIZES="100000" bench/publish.sh   # once, long (the first build takes many minutes)
# Knobs: BENCH_WORK (bench/out/publish), BENCH_PORTAL (a portal binary to use instead of
# building one from this checkout), BENCH_HUGO=0 (skip Hugo).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_WORK:-$ROOT/bench/out/publish}
SIZES=${BENCH_SIZES:-"1000 10000"}
mkdir -p "$WORK"
OUT=$ROOT/bench/out
# Nothing is deleted while measuring (bench/trash.sh says why).
# shellcheck source=bench/trash.sh
source "$ROOT/bench/trash.sh"
say() { printf '%s\n' "$*" >&2; }
[[ -x /usr/bin/time ]] || { say "bench: /usr/bin/time is missing (Debian package 'time')"; exit 1; }

PORTAL=${BENCH_PORTAL:-}
if [[ -z $PORTAL ]]; then
	PORTAL=$WORK/portal
	(cd "$ROOT" && GOPROXY=off go build -tags nodynamic -o "$PORTAL" ./cmd/portal)
fi
(cd "$ROOT" && GOPROXY=off go build -o "$WORK/gen" ./bench/gen)
HAVE_HUGO=${BENCH_HUGO:-1}
command -v hugo >/dev/null || HAVE_HUGO=0
HUGO_SITE=$WORK/hugo-site
if [[ $HAVE_HUGO == 1 ]]; then
	discard "$HUGO_SITE"
	mkdir -p "$HUGO_SITE/static"
	cp -r "$ROOT/bench/hugo/." "$HUGO_SITE/"
	cp -r "$ROOT/themes/default/static/." "$HUGO_SITE/static/"
fi

TSV=$WORK/publish.tsv
: >"$TSV"
# timed N STEP LOG cmd...: one run under /usr/bin/time, appended to $TSV.
timed() {
	local n=$1 step=$2 log=$3
	shift 3
	local tf=$WORK/time.$$
	if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >"$log" 2>&1; then
		say "bench: $step failed at $n articles (log: $log)"
		tail -n 20 "$log" >&2
		exit 1
	fi
	read -r wall user sys rss < <(tail -n 1 "$tf")
	rm -f "$tf"
	local rendered
	rendered=$(grep -o 'kết xuất [0-9]* trang, dùng lại [0-9]* trang' "$log" | awk '{ print $3 " / " $7 }' || true)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$step" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')" \
		"$((rss / 1024))" "${rendered:--}" >>"$TSV"
	say "  $step: wall ${wall}s, rendered / reused ${rendered:--}"
}

for N in $SIZES; do
	say "bench: $N articles"
	SITE=$WORK/site-$N DEST=$WORK/public-$N CACHE=$WORK/cache-$N
	discard "$SITE" "$DEST" "$CACHE"
	"$WORK/gen" -n "$N" -seed 1 -out "$SITE" >&2
	B=("$PORTAL" build --source "$SITE" --destination "$DEST" --cache-dir "$CACHE")
	timed "$N" "first, new cache folder" "$WORK/first-$N.log" "${B[@]}"
	timed "$N" "nothing changed" "$WORK/unchanged-$N.log" "${B[@]}"
	ART=$(find "$SITE/content/tin-tuc" -name '*.md' | sort | sed -n "$((N / 2))p")
	printf '\nMột đoạn sửa để đo thời gian xuất bản.\n' >>"$ART"
	timed "$N" "one article edited" "$WORK/edit-$N.log" "${B[@]}"
	NEW=$SITE/content/tin-tuc/bai-moi-de-do-thoi-gian.md
	sed 's/^title: "/title: "Bài mới: /' "$ART" >"$NEW"
	timed "$N" "one article added" "$WORK/add-$N.log" "${B[@]}"
	rm "$NEW"
	timed "$N" "that article deleted" "$WORK/delete-$N.log" "${B[@]}"
	if [[ $HAVE_HUGO == 1 ]]; then
		HCFG=()
		((N > 10000)) && HCFG=(--config hugo.toml,norelated.toml)
		discard "$WORK/hugo-$N"
		timed "$N" "hugo --minify (full build)" "$WORK/hugo-$N.log" hugo --source "$HUGO_SITE" "${HCFG[@]}" \
			--contentDir "$SITE/content" --destination "$WORK/hugo-$N" --cacheDir "$WORK/hugo-cache" --minify
	fi
done

printf '| articles | step | wall s | CPU s | peak RSS MB | pages rendered / reused |\n|---:|:---|---:|---:|---:|---:|\n'
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$TSV"
trash_empty
