package build

import (
	"slices"
	"strings"

	"github.com/vnportal/portal/internal/schedule"
)

// weekFile reports whether p, a diagnostic's path, is a file of the leaders' schedule
// (data/lich-cong-tac/…: a week file, or a file misnamed there): an error there (rule "schedule", scope Article) holds back that
// week alone, as for an article. Its last published page is kept (publishedFiles lists a
// week's page under its file); the other weeks, /lich-cong-tac/ and the news publish.
func weekFile(p string) bool {
	return strings.HasPrefix(p, schedule.Dir+"/")
}

// withoutHeldWeeks returns weeks without those whose files are in held.
func withoutHeldWeeks(weeks []*schedule.Week, held map[string]bool) []*schedule.Week {
	if len(held) == 0 {
		return weeks
	}
	return slices.DeleteFunc(slices.Clone(weeks), func(w *schedule.Week) bool { return held[w.Path] })
}
