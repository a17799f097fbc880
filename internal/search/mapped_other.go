//go:build !linux

package search

// pageOutMapped is a no-op where the kernel offers no MADV_PAGEOUT.
func pageOutMapped(dir string) {}
