# bench/trash.sh — sourced by the benchmark scripts: delete nothing while measuring.
#
# On a file system like this machine's (ext4 without a journal), creating a file for minutes
# after many files were deleted skips every recently deleted inode with a buffer lookup each
# (perf: recently_deleted under ext4_create), so a build started right after an `rm -rf` of a
# previous output paid 30-50 s of system time at 10,000 prose articles instead of 3-5 s, and
# which tool paid it depended on the order (BENCHMARKS.md, "Eighteenth session's end").
# What a benchmark must remove is moved into bench/out/trash (a rename frees no inode) and
# deleted after its last measurement (trash_empty). A trash left by an interrupted run is
# deleted first, then the script waits BENCH_SETTLE seconds (370: ext4's window is 60 s, or
# 360 s while the inode table block is dirty). The disk must hold the outputs meanwhile.
#
# Needs OUT (bench/out). BENCH_KEEP_TRASH=1 leaves the trash to a script run after this one,
# which is then started with BENCH_TRASH_INHERITED=1 (bench/run.sh's BENCH_CORPUS=both).
TRASH=$OUT/trash

# discard PATH...: moves each existing path into the trash.
discard() {
	local p
	for p in "$@"; do
		[[ -e $p || -L $p ]] || continue
		mkdir -p "$TRASH"
		mv "$p" "$(mktemp -u "$TRASH/$(basename "$p").XXXXXX")"
	done
}

# trash_empty: deletes the trash after the measurements (unless BENCH_KEEP_TRASH is set).
trash_empty() {
	[[ -n ${BENCH_KEEP_TRASH:-} ]] || rm -rf "$TRASH"
}

if [[ -d $TRASH && -z ${BENCH_TRASH_INHERITED:-} ]]; then
	printf 'bench: deleting %s left by an earlier run, then waiting %s s for the file system to settle\n' "$TRASH" "${BENCH_SETTLE:-370}" >&2
	rm -rf "$TRASH"
	sync
	sleep "${BENCH_SETTLE:-370}"
fi
