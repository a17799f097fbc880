package build

import (
	"path/filepath"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/search"
)

// ShrinkError stops a build that would unpublish more of the portal than config.toml's
// build.maxShrink allows, or all of it: an empty or missing content folder (a network
// share not mounted, a wrong --source, a moved folder) must never replace a published
// site. The output folder is left as it is.
type ShrinkError struct {
	Dest          string
	Before, After int     // published articles in the output folder, and in this build
	MaxShrink     float64 // the share a build may remove
}

func (e *ShrinkError) Error() string { return e.In(message.Vi) }

// In is the error's message in l.
func (e *ShrinkError) In(l message.Lang) string {
	why := message.New("quá %.0f%% số bài, giới hạn build.maxShrink trong config.toml", e.MaxShrink*100)
	if e.After == 0 {
		why = message.New("không còn bài nào")
	}
	return l.Sprintf("lần dựng này sẽ gỡ %d trong số %d bài đang xuất bản ở %s (%v): đã dừng, trang đang xuất bản được giữ nguyên. Thư mục content/ có thể đang trống, bị đổi tên hoặc nằm trên ổ mạng chưa kết nối; kiểm tra --source. Nếu thật sự muốn gỡ các bài đó, chạy lại với --allow-shrink",
		e.Before-e.After, e.Before, e.Dest, why)
}

// checkShrink returns a *ShrinkError when publishing after articles into dest would
// remove more than the configured share of the articles published there now, or all of
// them. The count of the current output comes from its manifest or, for an output made
// before manifests, from its search index; an output with neither is not checked.
func checkShrink(dest string, cfg config.Config, after int, manifests manifestStore) error {
	before, ok := publishedArticles(dest, cfg, manifests)
	if !ok || before == 0 || after >= before {
		return nil
	}
	if after == 0 || float64(before-after) > cfg.Build.MaxShrink*float64(before) {
		if abs, err := filepath.Abs(dest); err == nil {
			dest = abs
		}
		return &ShrinkError{Dest: dest, Before: before, After: after, MaxShrink: cfg.Build.MaxShrink}
	}
	return nil
}

// publishedArticles returns how many articles the output folder dest publishes now, by
// its manifest (as the build's cache has it: `portal serve --watch` keeps the one it
// committed last in memory).
func publishedArticles(dest string, cfg config.Config, manifests manifestStore) (int, bool) {
	if n, err := manifests.articles(dest); err == nil {
		return n, true
	}
	// No manifest (an older portal made the output), or a damaged one: the search
	// index's manifest counts the articles too.
	index := cfg.Search.Index
	if !filepath.IsAbs(index) {
		index = filepath.Join(dest, index)
	}
	if n, err := search.Count(index); err == nil {
		return n, true
	}
	return 0, false
}
