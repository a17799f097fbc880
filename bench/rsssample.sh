#!/usr/bin/env bash
# Runs a command and samples /proc/PID/status (its child's, when the command is a wrapper
# such as /usr/bin/time) every 0.5 s (VmRSS, VmHWM, RssAnon, RssFile),
# so that a peak can be placed against the build's stage log and GODEBUG=gctrace=1 lines
# (issue 22: where the 100,000 cold build's peak is, heap or mapped files).
#
#   GODEBUG=gctrace=1 bash bench/rsssample.sh OUT.tsv portal build --source SITE --destination OUT 2>build.log
#
# OUT.tsv gets "unix seconds<TAB>VmRSS<TAB>VmHWM<TAB>RssAnon<TAB>RssFile" (KB) lines; with
# gctrace on, stderr's "gc N @T s" lines give seconds since the process started, so the
# first column minus the first sample's gives the same clock. The peak (largest VmRSS) and
# its RssAnon/RssFile are printed at the end. BENCH_SAMPLE_S changes the period.
set -euo pipefail
out="$1"
shift
period="${BENCH_SAMPLE_S:-0.5}"
: >"$out"
"$@" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	# The command may be a wrapper (/usr/bin/time): sample its child when it has one.
	p=$(pgrep -P "$pid" | head -n 1 || true)
	p=${p:-$pid}
	line=$(awk -v t="$(date +%s.%N)" '
		/^VmRSS:/ {rss=$2} /^VmHWM:/ {hwm=$2} /^RssAnon:/ {anon=$2} /^RssFile:/ {file=$2}
		END {if (rss != "") printf "%.1f\t%d\t%d\t%d\t%d\n", t, rss, hwm, anon, file}' \
		"/proc/$p/status" 2>/dev/null || true)
	[ -n "$line" ] && printf '%s\n' "$line" >>"$out"
	sleep "$period"
done
rc=0
wait "$pid" || rc=$?
if [ -s "$out" ]; then
	t0=$(head -n 1 "$out" | cut -f1)
	sort -t$'\t' -k2,2n "$out" | tail -n 1 | awk -F'\t' -v t0="$t0" \
		'{printf "rsssample: peak VmRSS %d KB at %.1f s (RssAnon %d, RssFile %d)\n", $2, $1 - t0, $4, $5}' >&2
fi
exit "$rc"
