package cli

import (
	"path/filepath"
	"sync"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
)

// searchPages renders the server's search results page with the asset URLs of the build
// being served. A later build that publishes other assets (a theme or CSS change gives
// them other fingerprints) replaces the output's manifest; the page is then prepared
// again from it, so it never links a stylesheet or script that is no longer there and
// replicas need no restart after a build.
type searchPages struct {
	source, public string
	cfg            config.Config
	reg            *province.Registry
	logf           func(string, ...any)
	fallback       func(*render.SearchView) ([]byte, error)

	mu     sync.Mutex
	stamp  manifestStamp
	render func(*render.SearchView) ([]byte, error)
}

// manifestStamp identifies one version of the output's manifest file (a build
// writes a new file into a new folder, so its inode or times change).
type manifestStamp struct {
	id buildcache.FileID
	ok bool
}

func stampOf(path string) manifestStamp {
	id, err := buildcache.Stat(path)
	return manifestStamp{id: id, ok: err == nil}
}

// Render is an Options.SearchPage.
func (p *searchPages) Render(v *render.SearchView) ([]byte, error) {
	return p.current()(v)
}

// current returns the renderer for the manifest on disk now, preparing it when the
// manifest changed. When it cannot be prepared, the last good renderer (or the
// server's minimal page) is kept and the reason logged once per manifest version.
func (p *searchPages) current() func(*render.SearchView) ([]byte, error) {
	st := stampOf(filepath.Join(p.public, publish.ManifestName))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.render != nil && st == p.stamp {
		return p.render
	}
	if p.render == nil && st == p.stamp && p.stamp.ok {
		return p.fallback // this manifest already failed; logged then
	}
	p.stamp = st
	r, err := searchPage(p.source, p.public, p.cfg, p.reg)
	if err != nil {
		if p.render != nil {
			p.logf("cảnh báo: trang kết quả tìm kiếm giữ giao diện của lần dựng trước vì không nạp được giao diện mới: %v", err)
			return p.render
		}
		p.logf("cảnh báo: trang kết quả tìm kiếm dùng giao diện tối giản vì không nạp được giao diện: %v", err)
		return p.fallback
	}
	p.render = r
	return r
}
