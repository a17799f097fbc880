package build

import (
	"time"

	"github.com/vnportal/portal/internal/content"
)

// Scheduled is the next time a build's output would change with no file changed: an
// article left out for its future date or publishDate appears, or a published article
// reaches its expiryDate. Static hosting rebuilds then (README: a systemd timer or cron).
type Scheduled struct {
	At   time.Time // zero: nothing is scheduled
	Path string    // the document, "content/tin-tuc/x.md"
	// Expires is true when the article goes at At, false when it appears.
	Expires bool
	// Week is true when At is the next Monday and what changes is the week that
	// /lich-cong-tac/ shows (Path is the schedule's folder; schedule_week.go).
	Week bool
}

// NextScheduled returns the earliest change after now among docs, for a build made at now
// with inc (what --future, --expired and --drafts take in anyway: a draft is never
// scheduled, and with --future nothing waits to appear). Sections' _index.md files are not
// articles and are skipped. Ties go to the first path.
func NextScheduled(docs []*content.Document, now time.Time, inc content.Include) Scheduled {
	var next Scheduled
	consider := func(at time.Time, path string, expires bool) {
		if !at.After(now) {
			return
		}
		if next.At.IsZero() || at.Before(next.At) || (at.Equal(next.At) && path < next.Path) {
			next = Scheduled{At: at, Path: path, Expires: expires}
		}
	}
	for _, d := range docs {
		if d.Kind == content.SectionIndex || (d.Draft && !inc.Drafts) {
			continue
		}
		expiry := d.ExpiryDate
		if inc.Expired {
			expiry = time.Time{}
		}
		// It appears when both its date and its publishDate are past (Published).
		var appears time.Time
		if !inc.Future {
			appears = d.Date
			if d.PublishDate.After(appears) {
				appears = d.PublishDate
			}
		}
		if !expiry.IsZero() && !expiry.After(appears) {
			continue // expired before it appears: never shown
		}
		consider(appears, d.Path, false)
		if !expiry.IsZero() {
			consider(expiry, d.Path, true)
		}
		if l := d.Legal; l != nil && l.Status == "" {
			// A legal document's worked-out status changes when it takes effect and when
			// it expires (its page says so): the output changes then too.
			consider(l.Effective, d.Path, false)
			consider(l.Expires, d.Path, false)
		}
	}
	return next
}
