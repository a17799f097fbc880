package build

import (
	"os"
	"runtime/debug"
)

// pagesGCPercent is the collector's GOGC while a one-off build renders and writes its
// pages. The page stage allocates tens of times what it keeps (each page's bytes, its
// minified and gzipped copies) over a live heap that hardly changes (the graph), so with
// GOGC=100 a small site collects whenever it has allocated as much as is live: 153
// collections for the prose corpus at 10,000 articles (live heap ~142 MB). memlimit.Follow
// still caps the heap at live + max(256 MB, live/2) (gcHeadroom), so this trades at most
// that headroom of memory for fewer collections, and changes nothing at 100,000 articles,
// where the cap is below GOGC=100's goal already. Measured in BENCHMARKS.md (issue 22).
const pagesGCPercent = 400

// pageStageGC raises GOGC to pagesGCPercent for the page stage of a one-off build and
// returns what restores it. The preview (keep: the graph stays for the next build) and a
// GOGC the user set are left alone.
func pageStageGC(keep bool) (restore func()) {
	if keep {
		return func() {}
	}
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(pagesGCPercent)
	return func() { debug.SetGCPercent(prev) }
}
