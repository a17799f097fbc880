#!/usr/bin/env bash
# Runs a command and samples its resident memory every 0.2 s, to see in which stage of a
# build the peak is (issue 22): /usr/bin/time gives the peak, not when it happens.
#
#   bash bench/rsstrace.sh OUT.tsv portal build --no-cache --source SITE --destination OUT
#
# OUT.tsv gets "seconds since start<TAB>RSS MB" lines (the command and its children: the
# largest process); the peak and when it happened are printed at the end. The build's own
# stage lines (`portal build` prints each stage's duration) place that time in a stage.
set -euo pipefail
out="$1"
shift
: >"$out"
"$@" &
pid=$!
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
	rss=0
	for p in "$pid" $(pgrep -P "$pid" || true); do
		r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
		[ "${r:-0}" -gt "$rss" ] && rss=$r
	done
	now=$(date +%s.%N)
	printf '%.1f\t%d\n' "$(echo "$now - $start" | bc)" "$((rss / 1024))" >>"$out"
	sleep 0.2
done
rc=0
wait "$pid" || rc=$?
sort -t$'\t' -k2,2n "$out" | tail -n 1 | awk -F'\t' '{printf "rsstrace: peak RSS %d MB at %.1f s\n", $2, $1}' >&2
exit "$rc"
