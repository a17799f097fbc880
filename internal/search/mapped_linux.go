//go:build linux

package search

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// releaseMapped asks the kernel to take out of this process's resident set
// the pages of the read-only memory mappings of files under dir.
//
// The offline builder's merges memory-map the segments they merge and read
// each of them from end to end, so without this the resident set grows by
// the size of the segments being merged (gigabytes at 100,000 articles),
// although those pages are clean file pages the merge has already used.
// MADV_DONTNEED only unmaps them: they stay in the page cache (the kernel
// drops them there, like any file's, when memory is short), so a page the
// merge reads again costs a minor fault, not a read from the disk.
// MADV_PAGEOUT, used before, reclaimed them from the page cache too: the
// final merges at 100,000 articles read 4.3 GB from the disk for about
// 1.4 GB of segments (BENCHMARKS.md, branch merge22). Errors are ignored;
// this only saves memory.
func releaseMapped(dir string) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// "start-end perms offset dev inode   path"
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasPrefix(f[5], prefix) || strings.Contains(f[1], "w") {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_DONTNEED)
	}
}
