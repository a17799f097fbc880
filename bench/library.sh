#!/usr/bin/env bash
# bench/library.sh — the legal-document library at scale (issue 20): BENCH_ARTICLES articles
# beside BENCH_DOCUMENTS documents, each with a distinct PDF of its own (bench/pdfgen bench),
# built cold (empty cache folder), then after one article's title is edited, one document's
# title is edited, and one document's PDF is replaced by a new one. /usr/bin/time -v gives
# wall, CPU and peak RSS; the build summary the stage times; du the output and cache sizes.
# A cold build reads every PDF once (≈ 60 ms of CPU each, BENCHMARKS.md): 20,000 take
# ≈ 20 CPU-min.
#
# Usage: bench/library.sh                                  # 10,000 articles, 20,000 documents
#        BENCH_ARTICLES=1000 BENCH_DOCUMENTS=2000 bench/library.sh
# Knobs: BENCH_ARTICLES (10000), BENCH_DOCUMENTS (20000), BENCH_WORK (bench/out/library;
# the PDFs are kept there between runs: BENCH_WORK/pdf-N).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${BENCH_ARTICLES:-10000}
D=${BENCH_DOCUMENTS:-20000}
WORK=${BENCH_WORK:-$ROOT/bench/out/library}
cd "$ROOT"
mkdir -p "$WORK"
go build -tags nodynamic -o "$WORK/portal" ./cmd/portal
go build -tags nodynamic -o "$WORK/pdfgen" ./bench/pdfgen
echo "portal at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
PDFS=$WORK/pdf-$D
if [ ! -e "$PDFS/done" ]; then
  rm -rf "$PDFS"
  /usr/bin/time -f 'pdfgen: %e s wall, %U+%S s CPU' "$WORK/pdfgen" bench -n "$D" -out "$PDFS"
  touch "$PDFS/done"
fi
S=$WORK/site O=$WORK/out C=$WORK/cache
rm -rf "$S" "$O" "$C"
go run ./bench/gen -n "$N" -seed 1 -documents "$D" -document-pdfs "$PDFS" -out "$S"
run() { # label
  echo "=== $1 $(date -u +%T), load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v "$WORK/portal" build --source "$S" --destination "$O" --cache-dir "$C" \
    >"$WORK/$1.out" 2>"$WORK/$1.err" || echo "exit status $?"
  grep -E 'Elapsed|User time|System time|Maximum resident' "$WORK/$1.err"
  grep -E 'kết xuất|tệp:|tìm kiếm:|thời gian:' "$WORK/$1.out" || tail -5 "$WORK/$1.out"
  for d in "$O" "$O/.search" "$C/pdftext" "$C/wazero"; do du -sh "$d" 2>/dev/null || true; done
}
run cold
A=$(grep -rl "64/2007/NĐ-CP" "$S/content/tin-tuc" | sort | head -1 || true)
[ -n "$A" ] || A=$(ls "$S"/content/tin-tuc/*.md | grep -v /_index.md | sort | head -1)  # a small site may not cite it
sed -i 's/^title: "\(.*\)"$/title: "\1 (sửa)"/' "$A"
echo "edited: $A"
run edit-article
DOC=$(ls -d "$S"/content/van-ban/*/ | sort | sed -n "$((D / 2))p")
sed -i 's/^title: "\(.*\)"$/title: "\1 (sửa)"/' "$DOC/index.md"
echo "edited: $DOC/index.md"
run edit-document
rm -rf "$WORK/newpdf"
"$WORK/pdfgen" bench -n 1 -seed 7 -out "$WORK/newpdf"
F=$(ls "$DOC"/*.pdf)
rm "$F" && cp "$WORK"/newpdf/*.pdf "$F"
echo "replaced: $F"
run new-pdf
