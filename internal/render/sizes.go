package render

import "sync/atomic"

// sizeHints maps a layout's name to the length of the last page it rendered. The map is
// filled when the theme is loaded and only read afterwards; the counters are atomic, so a
// Theme stays safe for concurrent use. A hint changes only how a buffer is allocated, never
// what is written into it.
type sizeHints map[string]*atomic.Int64

// hint is the capacity to start a page of the layout with: the last page's length and an
// eighth more (pages of one layout differ mostly by their body), 0 before the first page.
func (s sizeHints) hint(layout string) int {
	c, ok := s[layout]
	if !ok {
		return 0
	}
	n := int(c.Load())
	return n + n/8
}

// saw records the length of a page the layout rendered.
func (s sizeHints) saw(layout string, n int) {
	if c, ok := s[layout]; ok {
		c.Store(int64(n))
	}
}
