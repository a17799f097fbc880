package build

import "testing"

// An edit build with the cache (few bodies rendered) paces the collector by what is
// live; a cold build, serve --watch (its graph kept) and the preview (not paced) do not.
func TestEditBuildPacesByWhatIsLive(t *testing.T) {
	edit := markdownCounts{rendered: 1, reused: 9999}
	cold := markdownCounts{rendered: 10000}
	for _, c := range []struct {
		name string
		r    run
		mc   markdownCounts
		want bool
	}{
		{"one-off build, one body rendered", run{paceGC: true}, edit, true},
		{"one-off build, every body rendered", run{paceGC: true}, cold, false},
		{"one-off build, a tenth rendered", run{paceGC: true}, markdownCounts{rendered: 1000, reused: 9000}, false},
		{"serve --watch", run{paceGC: true, keepGraph: true}, edit, false},
		{"preview", run{keepGraph: true}, edit, false},
	} {
		if got := c.r.pacesLive(c.mc, 10000); got != c.want {
			t.Errorf("%s: pacesLive = %v, want %v", c.name, got, c.want)
		}
	}
}
