#!/usr/bin/env bash
# Makes the files bench/pdfcompare reads, in DIR (default /tmp/pdfcompare): the same
# decision written by Chromium, fpdf (bench/pdfgen), ghostscript and qpdf, plus a scan,
# encrypted, truncated and 2,000-page files. Needs chromium, ghostscript, qpdf
# (apt-get install ghostscript qpdf). Then: (cd bench/pdfcompare && go run . DIR/*.pdf)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-/tmp/pdfcompare}"
mkdir -p "$dir"
cd "$root"
go run ./bench/pdfgen fixtures -out "$dir/fx"
go run ./bench/pdfgen chromium -out "$dir" internal/pdftext/testdata/decision.md
cp "$dir/decision.pdf" "$dir/chromium.pdf"
cp "$dir/fx/text.pdf" "$dir/fpdf.pdf"
cp "$dir/fx/owner.pdf" "$dir/fpdf-rc4-owner.pdf"
cp "$dir/fx/scan.pdf" "$dir/scan.pdf"
cd "$dir"
gs -q -dNOPAUSE -dBATCH -sDEVICE=pdfwrite -sOutputFile=gs.pdf chromium.pdf
qpdf --encrypt "" owner 256 -- chromium.pdf aes256-owner.pdf
qpdf --encrypt user owner 256 -- chromium.pdf aes256-password.pdf
qpdf --encrypt "" owner 128 --use-aes=y -- chromium.pdf aes128-owner.pdf
qpdf --object-streams=generate chromium.pdf objstm.pdf
head -c $(( $(stat -c %s chromium.pdf) / 2 )) chromium.pdf > truncated.pdf
# 2,000 pages: the fpdf decision repeated (qpdf joins copies of one page).
qpdf --empty --pages $(for i in $(seq 2000); do echo fpdf.pdf; done) -- big-2000.pdf
rm -rf fx decision.pdf
ls -l "$dir"
