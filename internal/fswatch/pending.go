package fswatch

import "slices"

// Pending is what the next build is told has changed: every path of the batches since the
// last successful build, since a failed build may stop before reading them (a broken
// config.toml stops it before the content is read). Use one per series of builds, from one
// goroutine at a time.
type Pending struct {
	paths   []string
	unknown bool
}

// Add records a batch (nil: unknown; a batch holding "": events were lost) and returns the
// hint for the build about to run: the paths since the last successful build, or nil when
// any of them is unknown (every file is checked).
func (p *Pending) Add(batch []string) []string {
	p.paths = append(p.paths, batch...)
	if batch == nil || slices.Contains(batch, "") {
		p.unknown = true
	}
	if p.unknown {
		return nil
	}
	return slices.Clone(p.paths)
}

// Built forgets the paths: a build that read them succeeded.
func (p *Pending) Built() { p.paths, p.unknown = nil, false }
