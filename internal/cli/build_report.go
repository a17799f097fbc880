package cli

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/vietnamese"
)

// What `portal build` tells deployment scripts: the files it added, changed and removed
// (--changes FILE) and, with --json, a summary with the next scheduled change.

// now is the command's clock: Env.Now, or the system's.
func (env Env) now() time.Time {
	if env.Now != nil {
		return env.Now()
	}
	return time.Now()
}

// scheduledLine is the summary's line about the next scheduled change, "" when none:
// "bài hẹn giờ tiếp theo: 08:00 Thứ Hai, 07/12/2026 (đăng content/tin-tuc/x.md)".
func scheduledLine(env Env, s build.Scheduled) string {
	if s.At.IsZero() {
		return ""
	}
	t := s.At.In(vietnamese.Location())
	if s.Week {
		return env.Lang.Sprintf("thay đổi hẹn giờ tiếp theo: %02d:%02d %s (lịch công tác sang tuần mới)", t.Hour(), t.Minute(), vietnamese.FormatDate(t))
	}
	if s.Expires {
		return env.Lang.Sprintf("bài hẹn giờ tiếp theo: %02d:%02d %s (hết hạn %s)", t.Hour(), t.Minute(), vietnamese.FormatDate(t), s.Path)
	}
	return env.Lang.Sprintf("bài hẹn giờ tiếp theo: %02d:%02d %s (đăng %s)", t.Hour(), t.Minute(), vietnamese.FormatDate(t), s.Path)
}

// jsonSummary is `portal build --json`'s output. Every key is always there (null when
// unknown), so that scripts need not test for it.
type jsonSummary struct {
	Dest     string         `json:"dest"`
	Articles int            `json:"articles"`
	Pages    map[string]int `json:"pages"`
	Rendered int            `json:"rendered"`
	Reused   int            `json:"reused"`
	Files    int            `json:"files"`
	Bytes    int64          `json:"bytes"`
	Warnings int            `json:"warnings"`
	TookMs   int64          `json:"tookMs"`
	// Search is null when the build made no index.
	Search *jsonSearch `json:"search"`
	// Changes counts the files added, modified and deleted: null without --changes.
	Changes *jsonChangeCounts `json:"changes"`
	// NextScheduled is RFC 3339 in Asia/Ho_Chi_Minh, null when nothing is scheduled.
	NextScheduled *string `json:"nextScheduled"`
	// NextScheduledPath is the article; NextScheduledAction "publish" or "expire", or
	// "week" when /lich-cong-tac/ moves to the next week (Path: the schedule's folder).
	NextScheduledPath   *string `json:"nextScheduledPath"`
	NextScheduledAction *string `json:"nextScheduledAction"`
	// HeldBack lists the articles not published because their files have errors (exit
	// status 3): kept is true when their previous version stays published.
	HeldBack []jsonHeldBack `json:"heldBack"`
}

type jsonHeldBack struct {
	Path string `json:"path"`
	Kept bool   `json:"kept"`
}

type jsonSearch struct {
	Added     int  `json:"added"`
	Updated   int  `json:"updated"`
	Deleted   int  `json:"deleted"`
	Unchanged int  `json:"unchanged"`
	Reused    bool `json:"reused"` // the previous index was kept as it is
}

type jsonChangeCounts struct {
	Added    int `json:"added"`
	Modified int `json:"modified"`
	Deleted  int `json:"deleted"`
}

func countChanges(cs []publish.Change) *jsonChangeCounts {
	var n jsonChangeCounts
	for _, c := range cs {
		switch c.Op {
		case publish.Added:
			n.Added++
		case publish.Modified:
			n.Modified++
		case publish.Deleted:
			n.Deleted++
		}
	}
	return &n
}

func printJSONSummary(w io.Writer, rep build.Report, withChanges bool) error {
	s := jsonSummary{Dest: rep.Dest, Articles: rep.Articles, Pages: map[string]int{}, Rendered: rep.Rendered,
		Reused: rep.Reused, Files: rep.Publish.Files, Bytes: rep.Publish.Bytes, Warnings: len(rep.Warnings()),
		TookMs: rep.Took.Milliseconds(), HeldBack: []jsonHeldBack{}}
	for _, h := range rep.HeldBack {
		s.HeldBack = append(s.HeldBack, jsonHeldBack{Path: h.Path, Kept: len(h.Kept) > 0})
	}
	for k, n := range rep.Pages {
		s.Pages[string(k)] = n
	}
	if rep.IndexDir != "" {
		st := rep.Search
		s.Search = &jsonSearch{Added: st.Added, Updated: st.Updated, Deleted: st.Deleted, Unchanged: st.Unchanged, Reused: st.Reused}
	}
	if withChanges {
		s.Changes = countChanges(rep.Publish.Changes)
	}
	if n := rep.NextScheduled; !n.At.IsZero() {
		at, action := n.At.In(vietnamese.Location()).Format(time.RFC3339), "publish"
		if n.Expires {
			action = "expire"
		}
		if n.Week {
			action = "week" // /lich-cong-tac/ moves to the new week
		}
		s.NextScheduled, s.NextScheduledPath, s.NextScheduledAction = &at, &n.Path, &action
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// encodeChanges is the change list as written by --changes: one "A path", "M path" or
// "D path" line per file, sorted by path; with asJSON an object of three sorted lists.
func encodeChanges(cs []publish.Change, asJSON bool) []byte {
	if !asJSON {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.String())
			b.WriteByte('\n')
		}
		return []byte(b.String())
	}
	lists := map[string][]string{"added": {}, "modified": {}, "deleted": {}}
	for _, c := range cs {
		switch c.Op {
		case publish.Added:
			lists["added"] = append(lists["added"], c.Path)
		case publish.Modified:
			lists["modified"] = append(lists["modified"], c.Path)
		case publish.Deleted:
			lists["deleted"] = append(lists["deleted"], c.Path)
		}
	}
	b, _ := json.MarshalIndent(lists, "", "  ") // strings only: cannot fail
	return append(b, '\n')
}

// writeChanges writes the change list to path through a temporary file beside it, so a
// script never reads half a list.
func writeChanges(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
