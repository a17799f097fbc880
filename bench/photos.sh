#!/usr/bin/env bash
# bench/photos.sh — photos side by side: portal build vs Hugo 0.111 (extended: WebP) on the
# same generated camera-size photos (issue 16). One article per photo (bench/gen -photos 1),
# each a page bundle with anh.jpg as its lead image; both tools write the widths 360, 720,
# 1080 and 1600 as WebP q75 and JPEG q80, and the 1200-px share JPEG (og:image) q80
# (bench/hugo-photos has Hugo's template). Cold
# builds into empty folders (portal --no-cache; Hugo without its resources/ cache), one run.
# /usr/bin/time gives wall, CPU (user+sys) and peak RSS; bench/photoq the bytes and SSIM of
# each variant against the source resized with Catmull-Rom.
#
# Usage: bench/photos.sh               # 20 photos of 4000×3000
#        BENCH_PHOTOS=200 bench/photos.sh
# Knobs: BENCH_PHOTOS (20), BENCH_PHOTO_W (4000), BENCH_PHOTO_H (3000), BENCH_WORK
# (bench/out/photos), BENCH_KEEP_SITE=1 (reuse the photos already in BENCH_WORK/site). Needs hugo and /usr/bin/time (bench/run.sh --install).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${BENCH_PHOTOS:-20}
PW=${BENCH_PHOTO_W:-4000}
PH=${BENCH_PHOTO_H:-3000}
WORK=${BENCH_WORK:-$ROOT/bench/out/photos}
if [[ ${BENCH_KEEP_SITE:-0} == 1 && -d $WORK/site/content ]]; then
	# Reuse the photos of an earlier run (200 of 24 MP take long to generate).
	rm -rf "$WORK/hugo" "$WORK/portal-public" "$WORK/hugo-public"
else
	rm -rf "$WORK"
fi
mkdir -p "$WORK"
cd "$ROOT"
go build -tags nodynamic -o "$WORK/portal" ./cmd/portal
[[ -d $WORK/site/content ]] || go run ./bench/gen -n "$N" -photos 1 -photo-width "$PW" -photo-height "$PH" -out "$WORK/site" >&2
# Hugo reads the same content with its own config and layouts.
mkdir -p "$WORK/hugo"
cp -r bench/hugo-photos/. "$WORK/hugo/"
cp -r "$WORK/site/content" "$WORK/hugo/content"

measure() { # name, command...
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.log" 2>&1 || {
		echo "$name failed: see $WORK/$name.log" >&2
		exit 1
	}
	read -r wall user sys rss <"$WORK/$name.time"
	printf '%s\t%s\t%.2f\t%d\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "photos: $N of ${PW}×${PH} ($(du -sh "$WORK/site/content" | cut -f1) of content)"
printf 'tool\twall s\tCPU s\tpeak RSS MB\n'
measure portal "$WORK/portal" build --source "$WORK/site" --destination "$WORK/portal-public" --no-cache
measure hugo hugo --source "$WORK/hugo" --destination "$WORK/hugo-public" --quiet
echo
printf 'bytes of variants: portal %s, hugo %s\n' \
	"$(du -sb "$WORK/portal-public/_anh" | cut -f1)" \
	"$(find "$WORK/hugo-public" -name 'anh_*' -printf '%s\n' | paste -sd+ | bc)"
go run ./bench/photoq -site "$WORK/site" -portal "$WORK/portal-public" -hugo "$WORK/hugo-public"
