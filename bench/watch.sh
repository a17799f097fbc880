#!/usr/bin/env bash
# bench/watch.sh — `portal serve --watch`: save of one article -> first response containing
# the change (the article's page, and the search answer), measured by bench/published on
# the benchmark corpus (bench/gen, the same sites as bench/run.sh).
#
# Usage:
#   bench/watch.sh                       # 1,000 and 10,000 articles
#   BENCH_SIZES="100000" bench/watch.sh  # one size
# Knobs: BENCH_SAVES (saves per size, default 20), BENCH_GAP (pause between saves, 1s),
# BENCH_HUGO_TIMEOUT (longest wait for one of hugo server's rebuilds, 600s),
# BENCH_CORPUS (template|prose), BENCH_SEED (1), BENCH_WORK (bench/out/work-watch).
# The server builds the whole site once at start (not timed here: that is `portal build`'s
# cold build), then every save is a rebuild with a warm graph into the output folder.
# Beside it, when hugo is installed (BENCH_HUGO=0 skips it): `hugo server --renderToDisk
# --minify` on the same content with bench/hugo's templates (without related articles above
# 10,000 articles, as bench/run.sh), the same saves, page only (Hugo has no search to wait
# for; its default fast render mode re-renders the changed page and the pages visited).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/bench/out
CORPUS=${BENCH_CORPUS:-template}
WORK=${BENCH_WORK:-$OUT/work-watch}
# Nothing is deleted while measuring (bench/trash.sh says why).
# shellcheck source=bench/trash.sh
source "$ROOT/bench/trash.sh"
SEED=${BENCH_SEED:-1}
SIZES=${BENCH_SIZES:-"1000 10000"}
SAVES=${BENCH_SAVES:-20}
GAP=${BENCH_GAP:-1s}
PORT=${BENCH_PORT:-18311}
HAVE_HUGO=${BENCH_HUGO:-1}
command -v hugo >/dev/null || HAVE_HUGO=0
mkdir -p "$OUT" "$WORK"
say() { printf '%s\n' "$*" >&2; }

say "bench: building portal, the corpus generator and bench/published"
(cd "$ROOT" && GOPROXY=off go build -tags nodynamic -o "$OUT/portal" ./cmd/portal && GOPROXY=off go build -o "$OUT/gen" ./bench/gen &&
	GOPROXY=off go build -o "$OUT/published" ./bench/published)
RESULTS=$WORK/published.tsv
: >"$RESULTS"
GEN_SUM=$(cat "$ROOT"/internal/corpus/*.go "$ROOT"/internal/corpus/prose/*.md | sha256sum | cut -c1-16)
PID=
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
HUGO_SITE=$WORK/hugo-site
if [[ $HAVE_HUGO == 1 ]]; then
	discard "$HUGO_SITE"
	mkdir -p "$HUGO_SITE/static"
	cp -r "$ROOT/bench/hugo/." "$HUGO_SITE/"
	cp -r "$ROOT/themes/default/static/." "$HUGO_SITE/static/"
fi
# hwm PID: the process's peak resident memory so far, in MB; cpus PID: its CPU seconds.
hwm() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
cpus() { awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
# row TOOL N OUT: one line of the results from bench/published's output.
row() {
	awk -v t="$1" -v n="$2" '{ v[$1] = $2 } END { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, n, v["saves"], v["page_p50_ms"], v["page_p90_ms"], v["page_max_ms"], (v["search_p50_ms"] == "" ? "-" : v["search_p50_ms"]), (v["search_p90_ms"] == "" ? "-" : v["search_p90_ms"]), (v["search_max_ms"] == "" ? "-" : v["search_max_ms"]) }' <<<"$3" >>"$RESULTS"
}
for N in $SIZES; do
	SITE=$WORK/site-$N
	MARK="n=$N seed=$SEED gen=$GEN_SUM mode=$CORPUS"
	if [[ ! -f $SITE/.corpus || $(cat "$SITE/.corpus") != "$MARK" ]]; then
		discard "$SITE"
		"$OUT/gen" -n "$N" -seed "$SEED" -mode "$CORPUS" -out "$SITE" >&2
		echo "$MARK" >"$SITE/.corpus"
	fi
	files=("$SITE"/content/tin-tuc/*.md)
	ART=${files[${#files[@]} / 2]}
	SLUG=$(basename "$ART" .md)
	LOG=$WORK/serve-$N.log
	say "bench: $N articles: portal serve --watch (first build of the whole site...)"
	start=$(date +%s.%N)
	"$OUT/portal" serve --watch --source "$SITE" --addr "127.0.0.1:$PORT" >"$LOG" 2>&1 &
	PID=$!
	for _ in $(seq 7200); do grep -q 'Đang phục vụ' "$LOG" && break; kill -0 "$PID" || { cat "$LOG" >&2; exit 1; }; sleep 0.5; done
	say "  ready after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s, peak RSS $(hwm "$PID") MB, CPU $(cpus "$PID") s"
	out=$("$OUT/published" -base "http://127.0.0.1:$PORT" -page "/tin-tuc/$SLUG/" -file "$ART" -n "$SAVES" -gap "$GAP")
	say "  $(tr '\n' ' ' <<<"$out")"
	say "  after the saves: peak RSS $(hwm "$PID") MB, CPU $(cpus "$PID") s"
	row "portal serve --watch" "$N" "$out"
	grep 'đã xuất bản' "$LOG" | tail -3 | sed 's/^/    /' >&2
	kill "$PID"; wait "$PID" 2>/dev/null || true
	PID=
	[[ $HAVE_HUGO == 1 ]] || continue
	HCFG=()
	((N > 10000)) && HCFG=(--config hugo.toml,norelated.toml)
	HLOG=$WORK/hugo-server-$N.log
	discard "$WORK/hugo-public-$N"
	say "bench: $N articles: hugo server --renderToDisk (first build of the whole site...)"
	start=$(date +%s.%N)
	hugo server --source "$HUGO_SITE" "${HCFG[@]}" --contentDir "$SITE/content" --destination "$WORK/hugo-public-$N" \
		--cacheDir "$WORK/hugo-cache" --renderToDisk --minify --disableLiveReload --bind 127.0.0.1 --port "$((PORT + 1))" \
		--baseURL "http://127.0.0.1:$((PORT + 1))/" --appendPort=false >"$HLOG" 2>&1 &
	PID=$!
	for _ in $(seq 7200); do grep -q 'Web Server is available' "$HLOG" && break; kill -0 "$PID" || { cat "$HLOG" >&2; exit 1; }; sleep 0.5; done
	say "  ready after $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
	out=$("$OUT/published" -no-search -timeout "${BENCH_HUGO_TIMEOUT:-600s}" -base "http://127.0.0.1:$((PORT + 1))" -page "/tin-tuc/$SLUG/" -file "$ART" -n "$SAVES" -gap "$GAP")
	say "  $(tr '\n' ' ' <<<"$out")"
	row "hugo server --renderToDisk" "$N" "$out"
	kill "$PID"; wait "$PID" 2>/dev/null || true
	PID=
done
printf 'tool\tarticles\tsaves\tpage p50 ms\tpage p90 ms\tpage max ms\tsearch p50 ms\tsearch p90 ms\tsearch max ms\n'
cat "$RESULTS"
trash_empty
