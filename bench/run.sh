#!/usr/bin/env bash
# bench/run.sh — side-by-side build benchmark: portal vs Hugo (+ Pagefind for search).
#
# For each corpus size it generates a deterministic Vietnamese news site (internal/corpus),
# then times, as cold builds into empty output folders:
#   portal        portal build --no-cache (pages + its Bleve search index), minified
#   portal-nosrch portal build with [search] disabled (sizes <= BENCH_NOSEARCH_MAX only;
#                 above that it is derived: total minus the "chỉ mục tìm kiếm" stage)
#   hugo          hugo --minify with the equivalent templates in bench/hugo
#   pagefind      Pagefind indexing the article pages of the portal-built site
# Wall time, CPU time (user+sys) and peak RSS come from /usr/bin/time.
#
# Usage:
#   bench/run.sh                  # 1,000 and 10,000 articles
#   BENCH_FULL=1 bench/run.sh     # also 100,000 (needs ~10 GB of disk and a long time)
#   BENCH_SIZES="1000" bench/run.sh
#   bench/run.sh --install        # first install what is missing: hugo and time (apt-get,
#                                 # needs root) and Pagefind (npm, into bench/out)
# Edit to reload (sizes <= BENCH_RELOAD_MAX, default 10000; needs Chromium): `portal preview`
# and `hugo server` on the same content; bench/reload saves one article BENCH_RELOAD_SAVES times
# (default 20; 5 for Hugo above 1,000 articles, whose rebuilds take tens of seconds) and times
# save -> page reloaded in headless Chromium.
# BENCH_CORPUS (template): which corpus to generate (bench/gen -mode): "template", the
# generator's original text, or "prose", Markov text trained on the sample articles (~8.5 KB
# each, 63 pre-2025 provinces with some names in NFD, 200 tags, 6 categories; see
# internal/corpus). A prose run keeps its sites and report in bench/out/work-prose.
# BENCH_CORPUS=both runs the template corpus, then the prose corpus, and puts both reports
# (tables and ratios) in bench/out/report-both.md.
# Other knobs: BENCH_RUNS (runs per tool; default 3 for <= 1,000 articles, else 1; the best
# run is reported), BENCH_SEED (1), BENCH_WORK (bench/out/work), BENCH_TIMEOUT (seconds per
# command, 1200), BENCH_NOSEARCH_MAX (1000).
# BENCH_HUGO_RELATED_MAX (10000): above this many articles Hugo builds without related
# articles (bench/hugo/norelated.toml), which portal's pages still have: Hugo's related
# search scores every page that shares a term, ~75 % of its time at 10,000 articles, and
# would take hours at 100,000. The report marks those rows.
# BENCH_PAGEFIND_AS_MB (16384): Pagefind runs under this address-space limit (prlimit), so
# that running out of memory ends it instead of the machine's swap; a tool that fails or
# times out is listed under "Did not finish" with what it used until then.
#
# No output is deleted while the benchmark measures (bench/trash.sh says why); the last
# outputs stay in BENCH_WORK for inspection, the others go to bench/out/trash, deleted at the end.
#
# The benchmark itself uses no network: everything runs on this machine, and Go builds with
# GOPROXY=off. Only --install talks to the package registries.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/bench/out
CORPUS=${BENCH_CORPUS:-template}
case $CORPUS in
template) WORK=${BENCH_WORK:-$OUT/work} ;;
prose) WORK=${BENCH_WORK:-$OUT/work-prose} ;;
both)
	# Both corpora one after the other, then one report with each corpus's tables and ratios.
	if [[ -n ${BENCH_WORK:-} ]]; then
		printf 'bench: BENCH_CORPUS=both keeps each corpus in its own folder; unset BENCH_WORK\n' >&2
		exit 2
	fi
	BENCH_CORPUS=template BENCH_KEEP_TRASH=1 bash "$0" "$@"
	BENCH_CORPUS=prose BENCH_TRASH_INHERITED=1 bash "$0"
	{
		printf '# Template corpus\n'
		cat "$OUT/work/report.md"
		printf '\n# Prose corpus\n'
		cat "$OUT/work-prose/report.md"
	} >"$OUT/report-both.md"
	printf 'bench: both reports in %s\n' "$OUT/report-both.md" >&2
	exit 0
	;;
*)
	printf 'bench: BENCH_CORPUS=%s is unknown; use template, prose or both\n' "$CORPUS" >&2
	exit 2
	;;
esac
# shellcheck source=bench/trash.sh
source "$ROOT/bench/trash.sh"
SEED=${BENCH_SEED:-1}
TIMEOUT=${BENCH_TIMEOUT:-1200}
NOSEARCH_MAX=${BENCH_NOSEARCH_MAX:-1000}
SIZES=${BENCH_SIZES:-"1000 10000"}
if [[ ${BENCH_FULL:-0} == 1 && $SIZES != *100000* ]]; then
	SIZES="$SIZES 100000"
fi
PAGEFIND=$OUT/node_modules/.bin/pagefind
RESULTS=$WORK/results.tsv
FAILED=$WORK/failed.tsv
HUGO_RELATED_MAX=${BENCH_HUGO_RELATED_MAX:-10000}
PAGEFIND_AS_MB=${BENCH_PAGEFIND_AS_MB:-16384}
mkdir -p "$OUT" "$WORK"

say() { printf '%s\n' "$*" >&2; }

if [[ ${1:-} == --install ]]; then
	if ! command -v hugo >/dev/null || [[ ! -x /usr/bin/time ]]; then
		if [[ $(id -u) != 0 ]]; then
			say "run as root to install hugo and time with apt-get, or install them yourself"
			exit 1
		fi
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo time
	fi
	if [[ ! -x $PAGEFIND ]]; then
		npm install --prefix "$OUT" --no-audit --no-fund pagefind
	fi
	shift
fi

# --- tools -----------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
	say "bench: /usr/bin/time is missing (Debian package 'time'); run bench/run.sh --install"
	exit 1
fi
HAVE_HUGO=1
command -v hugo >/dev/null || { HAVE_HUGO=0; say "bench: hugo not found (Debian package 'hugo'); Hugo columns are skipped. Run bench/run.sh --install"; }
HAVE_PAGEFIND=1
[[ -x $PAGEFIND ]] || { HAVE_PAGEFIND=0; say "bench: Pagefind not found in $OUT/node_modules; Pagefind columns are skipped. Run bench/run.sh --install"; }

say "bench: building portal and the corpus generator"
(cd "$ROOT" && GOPROXY=off go build -tags nodynamic -o "$OUT/portal" ./cmd/portal && GOPROXY=off go build -o "$OUT/gen" ./bench/gen &&
	GOPROXY=off go build -o "$OUT/reload" ./bench/reload)
RELOAD_MAX=${BENCH_RELOAD_MAX:-10000}
RELOADS=$WORK/reload.tsv
HAVE_CHROMIUM=1
command -v chromium >/dev/null || [[ -x /usr/bin/chromium ]] || { HAVE_CHROMIUM=0; say "bench: chromium not found; edit-to-reload is skipped"; }

# reload N TOOL URL FILE SAVES: runs bench/reload against a server already started and
# appends "N TOOL p50 p90 max saves" to $RELOADS.
reload() {
	local n=$1 tool=$2 url=$3 file=$4 saves=$5 out
	for _ in $(seq 900); do curl -sf -o /dev/null "$url" && break; sleep 1; done
	if ! out=$("$OUT/reload" -url "$url" -file "$file" -n "$saves" -timeout 300s); then
		say "bench: reload measurement failed for $tool at $n articles"
		return 0
	fi
	awk -v n="$n" -v t="$tool" '{ v[$1] = $2 } END { printf "%s\t%s\t%s\t%s\t%s\t%s\n", n, t, v["p50_ms"], v["p90_ms"], v["max_ms"], v["saves"] }' <<<"$out" >>"$RELOADS"
	say "  $tool edit to reload: $(tr '\n' ' ' <<<"$out")"
}

# dur2s converts a Go duration ("1m2.5s", "850ms", "400µs") to seconds.
dur2s() {
	awk -v d="$1" 'BEGIN {
		t = 0
		while (match(d, /^[0-9.]+(h|ms|µs|us|ns|m|s)/)) {
			tok = substr(d, 1, RLENGTH); d = substr(d, RLENGTH + 1)
			n = tok + 0; u = tok; sub(/^[0-9.]+/, "", u)
			f = (u == "h") ? 3600 : (u == "m") ? 60 : (u == "s") ? 1 : (u == "ms") ? 0.001 : (u == "ns") ? 1e-9 : 1e-6
			t += n * f
		}
		printf "%.3f", t
	}'
}

# measure N TOOL LOG cmd... runs cmd under /usr/bin/time and appends a result line:
# N TOOL wall cpu rss_kb. A command that fails is appended to $FAILED instead (with what it
# used and its last log line), and measure returns 1.
measure() {
	local n=$1 tool=$2 log=$3
	shift 3
	local tf=$WORK/time.$$ ok=1
	/usr/bin/time -f '%e %U %S %M' -o "$tf" timeout "$TIMEOUT" "$@" >"$log" 2>&1 || ok=0
	# On failure time(1) writes "Command exited with non-zero status N" first.
	read -r wall user sys rss < <(tail -n 1 "$tf")
	rm -f "$tf"
	local cpu
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	if [[ $ok == 0 ]]; then
		say "bench: $tool failed for $n articles after ${wall}s, peak RSS $((rss / 1024)) MB (log: $log):"
		tail -n 20 "$log" >&2
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$wall" "$cpu" "$rss" "$(tail -n 1 "$log" | tr '\t' ' ' | cut -c1-160)" >>"$FAILED"
		return 1
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "$wall" "$cpu" "$rss" >>"$RESULTS"
	say "  $tool: wall ${wall}s, cpu ${cpu}s, peak RSS $((rss / 1024)) MB"
}

size_mb() { du -sb "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }'; }

# Hugo reads hugo.toml and layouts from a copy of bench/hugo, plus the portal theme's CSS/JS.
HUGO_SITE=$WORK/hugo-site
if [[ $HAVE_HUGO == 1 ]]; then
	discard "$HUGO_SITE"
	mkdir -p "$HUGO_SITE/static"
	cp -r "$ROOT/bench/hugo/." "$HUGO_SITE/"
	cp -r "$ROOT/themes/default/static/." "$HUGO_SITE/static/"
fi

: >"$RESULTS"
: >"$FAILED"
LIMIT=()
command -v prlimit >/dev/null && LIMIT=(prlimit --as=$((PAGEFIND_AS_MB * 1048576)))
: >"$WORK/sizes.tsv"
: >"$RELOADS"
GEN_SUM=$(cat "$ROOT"/internal/corpus/*.go "$ROOT"/internal/corpus/prose/*.md | sha256sum | cut -c1-16)
cpu_pressure() { awk '/^some/ { sub("avg60=", "", $3); print $3 "%" }' /proc/pressure/cpu 2>/dev/null || echo "n/a"; }
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg), CPU pressure (avg60) $(cpu_pressure)"
for N in $SIZES; do
	say "bench: $N articles"
	SITE=$WORK/site-$N
	MARK="n=$N seed=$SEED gen=$GEN_SUM mode=$CORPUS"
	if [[ ! -f $SITE/.corpus || $(cat "$SITE/.corpus") != "$MARK" ]]; then
		discard "$SITE"
		timeout "$TIMEOUT" "$OUT/gen" -n "$N" -seed "$SEED" -mode "$CORPUS" -out "$SITE" >&2
		echo "$MARK" >"$SITE/.corpus"
	fi
	RUNS=${BENCH_RUNS:-$((N <= 1000 ? 3 : 1))}
	PDEST=$WORK/portal-$N
	HDEST=$WORK/hugo-$N
	for ((r = 1; r <= RUNS; r++)); do
		discard "$PDEST"
		measure "$N" portal "$WORK/portal-$N.log" "$OUT/portal" build --no-cache --source "$SITE" --destination "$PDEST"
		stage=$(grep -o 'chỉ mục tìm kiếm [^,]*' "$WORK/portal-$N.log" | awk '{ print $NF }')
		printf '%s\tportal-search-stage\t%s\t-\t-\n' "$N" "$(dur2s "$stage")" >>"$RESULTS"
		grep -o 'thời gian: .*' "$WORK/portal-$N.log" | sed 's/^/    /' >&2
		if ((N <= NOSEARCH_MAX)); then
			NS=$WORK/site-$N-nosearch
			discard "$NS" "$PDEST-nosearch"
			mkdir -p "$NS"
			sed 's/^\[search\]$/[search]\ndisabled = true/' "$SITE/config.toml" >"$NS/config.toml"
			# content/ must be a real folder (the walker does not follow a symlinked root):
			# hard links make the copy cheap.
			cp -al "$SITE/content" "$NS/content" 2>/dev/null || cp -r "$SITE/content" "$NS/content"
			measure "$N" portal-nosrch "$WORK/portal-$N-nosearch.log" "$OUT/portal" build --no-cache --source "$NS" --destination "$PDEST-nosearch"
			discard "$PDEST-nosearch" "$NS"
		fi
		if [[ $HAVE_HUGO == 1 ]]; then
			discard "$HDEST"
			HCFG=()
			if ((N > HUGO_RELATED_MAX)); then
				HCFG=(--config hugo.toml,norelated.toml)
				printf '%s\thugo-variant\twithout related articles\n' "$N" >>"$WORK/sizes.tsv"
			fi
			measure "$N" hugo "$WORK/hugo-$N.log" hugo --source "$HUGO_SITE" "${HCFG[@]}" --contentDir "$SITE/content" \
				--destination "$HDEST" --cacheDir "$WORK/hugo-cache" --minify || true
		fi
		if [[ $HAVE_PAGEFIND == 1 ]]; then
			discard "$WORK/pagefind-$N"
			measure "$N" pagefind "$WORK/pagefind-$N.log" "${LIMIT[@]}" "$PAGEFIND" --site "$PDEST" --glob 'tin-tuc/*/index.html' \
				--root-selector main --output-path "$WORK/pagefind-$N" || true
		fi
	done
	if [[ $HAVE_CHROMIUM == 1 ]] && ((N <= RELOAD_MAX)); then
		files=("$SITE"/content/tin-tuc/*.md)
		ART=${files[${#files[@]} / 2]}
		SLUG=$(basename "$ART" .md)
		"$OUT/portal" preview --source "$SITE" --addr 127.0.0.1:18301 >"$WORK/preview-$N.log" 2>&1 &
		PID=$!
		reload "$N" portal "http://127.0.0.1:18301/tin-tuc/$SLUG/" "$ART" "${BENCH_RELOAD_SAVES:-20}"
		kill "$PID"; wait "$PID" 2>/dev/null || true
		if [[ $HAVE_HUGO == 1 ]]; then
			hugo server --source "$HUGO_SITE" --contentDir "$SITE/content" --bind 127.0.0.1 --port 18302 \
				--baseURL http://127.0.0.1:18302/ >"$WORK/hugo-server-$N.log" 2>&1 &
			PID=$!
			reload "$N" hugo-server "http://127.0.0.1:18302/tin-tuc/$SLUG/" "$ART" "${BENCH_RELOAD_SAVES:-$((N > 1000 ? 5 : 20))}"
			kill "$PID"; wait "$PID" 2>/dev/null || true
		fi
	fi
	printf '%s\tportal-site\t%s\n' "$N" "$(cd "$PDEST" && size_mb --exclude=.search .)" >>"$WORK/sizes.tsv"
	printf '%s\tportal-index\t%s\n' "$N" "$(size_mb "$PDEST/.search")" >>"$WORK/sizes.tsv"
	printf '%s\tportal-files\t%s\n' "$N" "$(find "$PDEST" -type f -not -path '*/.search/*' | wc -l)" >>"$WORK/sizes.tsv"
	if [[ $HAVE_HUGO == 1 ]]; then
		printf '%s\thugo-site\t%s\n' "$N" "$(size_mb "$HDEST")" >>"$WORK/sizes.tsv"
		printf '%s\thugo-files\t%s\n' "$N" "$(find "$HDEST" -type f | wc -l)" >>"$WORK/sizes.tsv"
	fi
	if [[ $HAVE_PAGEFIND == 1 ]]; then
		printf '%s\tpagefind-index\t%s\n' "$N" "$(size_mb "$WORK/pagefind-$N")" >>"$WORK/sizes.tsv"
	fi
	printf '%s\tsource\t%s\n' "$N" "$(size_mb "$SITE/content")" >>"$WORK/sizes.tsv"
	# Out of the way across sizes (deleted at the end); the last outputs stay for inspection.
	if [[ $N != "${SIZES##* }" ]]; then
		discard "$PDEST" "$HDEST" "$WORK/pagefind-$N"
	fi
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg), CPU pressure (avg60) $(cpu_pressure)"

# --- report ----------------------------------------------------------------------------
{
	echo
	echo "## Machine"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- CPU: $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
	echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "- load average (1/5/15 min) at start: $LOAD_START; at end: $LOAD_END"
	echo "  (CPU pressure is the share of time some runnable task waited for a CPU: other work on"
	echo "  the machine inflates wall times; CPU times are the steadier comparison)"
	echo "- file system of the outputs: $(findmnt -no FSTYPE,OPTIONS -T "$WORK" 2>/dev/null || echo unknown) (outputs moved aside, deleted after the run)"
	echo "- corpus: $CORPUS (BENCH_CORPUS), seed $SEED"
	echo "- $(go version)"
	[[ $HAVE_HUGO == 1 ]] && echo "- $(hugo version | cut -d' ' -f1-2)"
	[[ $HAVE_PAGEFIND == 1 ]] && echo "- $("$PAGEFIND" --version)"
	echo
	echo "## Results (best of the runs by wall time; CPU = user + system)"
	echo
	echo "| articles | tool | wall s | CPU s | peak RSS MB | output |"
	echo "|---:|:---|---:|---:|---:|:---|"
	awk -F'\t' -v sizes="$WORK/sizes.tsv" '
		BEGIN { while ((getline l < sizes) > 0) { split(l, f, "\t"); sz[f[1] "," f[2]] = f[3] } }
		$2 == "portal-search-stage" { if (!(($1 ",st") in st) || $3 < st[$1 ",st"]) st[$1 ",st"] = $3; next }
		{ k = $1 "," $2; if (!(k in w) || $3 < w[k]) { w[k] = $3; c[k] = $4; m[k] = $5 }
		  if (!($1 in seen)) { seen[$1] = 1; ns[++nn] = $1 } }
		END {
			split("portal portal-nosrch hugo pagefind", tools, " ")
			for (i = 1; i <= nn; i++) {
				n = ns[i]
				for (j = 1; j <= 4; j++) {
					t = tools[j]; k = n "," t
					if (!(k in w)) continue
					out = ""
					if (t == "portal") out = sprintf("site %s MB in %s files + index %s MB; index stage %.1f s", sz[n ",portal-site"], sz[n ",portal-files"], sz[n ",portal-index"], st[n ",st"])
					if (t == "hugo") out = sprintf("site %s MB in %s files%s", sz[n ",hugo-site"], sz[n ",hugo-files"], ((n ",hugo-variant") in sz) ? "; " sz[n ",hugo-variant"] " †" : "")
					if (t == "pagefind") out = sprintf("index %s MB", sz[n ",pagefind-index"])
					if (t == "portal-nosrch") out = "search disabled"
					printf "| %s | %s | %.1f | %.1f | %.0f | %s |\n", n, t, w[k], c[k], m[k] / 1024, out
				}
			}
		}' "$RESULTS"
	echo
	echo "## Ratios (portal ÷ other; below 1 means portal is faster or smaller)"
	echo
	echo "| articles | build only, wall | build only, CPU | build + search, wall | build + search, CPU | peak RSS | search index size |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	awk -F'\t' -v sizes="$WORK/sizes.tsv" '
		BEGIN { while ((getline l < sizes) > 0) { split(l, f, "\t"); sz[f[1] "," f[2]] = f[3] } }
		$2 == "portal-search-stage" { if (!(($1) in st) || $3 < st[$1]) st[$1] = $3; next }
		{ k = $1 "," $2; if (!(k in w) || $3 < w[k]) { w[k] = $3; c[k] = $4; m[k] = $5 }
		  if (!($1 in seen)) { seen[$1] = 1; ns[++nn] = $1 } }
		function r(a, b) { return (b > 0) ? sprintf("%.2f", a / b) : "–" }
		END {
			for (i = 1; i <= nn; i++) {
				n = ns[i]
				if (!((n ",hugo") in w)) continue
				note = ""
				if ((n ",portal-nosrch") in w) { bw = w[n ",portal-nosrch"]; bc = c[n ",portal-nosrch"] }
				else { bw = w[n ",portal"] - st[n]; bc = "" ; note = "≈" }
				hw = w[n ",hugo"]; hc = c[n ",hugo"]
				pw = ((n ",pagefind") in w) ? w[n ",pagefind"] : 0; pc = ((n ",pagefind") in w) ? c[n ",pagefind"] : 0
				rss = m[n ",hugo"]; if (m[n ",pagefind"] > rss) rss = m[n ",pagefind"]
				printf "| %s | %s%s | %s | %s | %s | %s | %s |\n", n (((n ",hugo-variant") in sz) ? " †" : ""), note, r(bw, hw), (bc == "") ? "–" : r(bc, hc),
					(pw > 0) ? r(w[n ",portal"], hw + pw) : "–", (pw > 0) ? r(c[n ",portal"], hc + pc) : "–",
					r(m[n ",portal"], rss), (pw > 0) ? r(sz[n ",portal-index"], sz[n ",pagefind-index"]) : "–"
			}
		}' "$RESULTS"
	echo
	echo "≈: portal without search is estimated as the full build minus its search-index stage."
	echo "†: Hugo built without related articles (BENCH_HUGO_RELATED_MAX); portal's pages have them."
	echo "Peak RSS compares portal (one process) with the larger of Hugo and Pagefind."
	echo
	if [[ -s $FAILED ]]; then
		echo "## Did not finish"
		echo
		echo "| articles | tool | wall s | CPU s | peak RSS MB | last line of its log |"
		echo "|---:|:---|---:|---:|---:|:---|"
		awk -F'\t' '{ printf "| %s | %s | %.1f | %.1f | %.0f | %s |\n", $1, $2, $3, $4, $5 / 1024, $6 }' "$FAILED"
		echo
		echo "Pagefind runs under an address-space limit of $PAGEFIND_AS_MB MB (BENCH_PAGEFIND_AS_MB); every command under a time limit of $TIMEOUT s (BENCH_TIMEOUT)."
		echo
	fi
	echo "## Edit to reload (save -> page reloaded in headless Chromium, bench/reload)"
	echo
	if [[ -s $RELOADS ]]; then
		echo "| articles | server | saves | p50 ms | p90 ms | max ms |"
		echo "|---:|:---|---:|---:|---:|---:|"
		awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, ($2 == "portal" ? "portal preview" : "hugo server"), $6, $3, $4, $5 }' "$RELOADS"
	else
		echo "Not measured (Chromium missing, or BENCH_RELOAD_MAX below every size)."
	fi
} | tee "$WORK/report.md"
say "bench: report written to $WORK/report.md; raw timings in $RESULTS"
trash_empty
