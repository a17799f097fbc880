package fswatch

import (
	"slices"
	"testing"
)

func TestPendingKeepsPathsUntilABuildSucceeds(t *testing.T) {
	var p Pending
	if got := p.Add([]string{"/s/config.toml"}); !slices.Equal(got, []string{"/s/config.toml"}) {
		t.Errorf("first batch: %q", got)
	}
	// That build failed: the next is told about both batches.
	if got := p.Add([]string{"/s/content/a.md"}); !slices.Equal(got, []string{"/s/config.toml", "/s/content/a.md"}) {
		t.Errorf("after a failed build: %q", got)
	}
	p.Built()
	if got := p.Add([]string{"/s/content/b.md"}); !slices.Equal(got, []string{"/s/content/b.md"}) {
		t.Errorf("after a successful build: %q", got)
	}
	if got := p.Add([]string{"", "/s/content/c.md"}); got != nil {
		t.Errorf("lost events must check every file, got %q", got)
	}
	if got := p.Add([]string{"/s/content/d.md"}); got != nil {
		t.Errorf("unknown until a build succeeds, got %q", got)
	}
	p.Built()
	if got := p.Add(nil); got != nil {
		t.Errorf("nil is unknown, got %q", got)
	}
}
