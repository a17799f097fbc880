//go:build !linux

package search

// releaseMapped is a no-op where the kernel offers no MADV_DONTNEED for this.
func releaseMapped(dir string) {}
