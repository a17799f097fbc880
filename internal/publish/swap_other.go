//go:build !linux

package publish

// swap moves the finished generation tmp into dest with two renames (see
// swapByRename); this platform has no atomic folder exchange.
func swap(tmp, dest string) (old string, err error) {
	return swapByRename(tmp, dest)
}
