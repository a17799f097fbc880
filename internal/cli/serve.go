package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/site"
)

func runServe(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "serve")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml và public/ đã dựng)")
	addr := fs.String("addr", "127.0.0.1:1313", "địa chỉ lắng nghe HOST:PORT")
	watchFlag := fs.Bool("watch", false, "dựng lại public/ khi tệp của trang thay đổi và đúng giờ hẹn của bài (publishDate, expiryDate),\nrồi phục vụ bản mới; không cần portal build, cron hay khởi động lại")
	allowShrink := fs.Bool("allow-shrink", false, "với --watch: xuất bản cả khi một lần dựng gỡ nhiều bài hơn build.maxShrink cho phép")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		env.printf(env.Stderr, "portal serve: không nhận tham số %q; xem 'portal serve --help'\n", fs.Arg(0))
		return ExitUsage
	}
	if !needSite(env, "serve", source, false) {
		return ExitUsage
	}
	if *watchFlag {
		return runServeWatch(ctx, env, *source, *addr, *allowShrink)
	}
	ds := &diag.List{}
	cfg, reg, err := build.LoadConfig(build.Options{SiteDir: *source}, ds)
	printDiagnostics(env, ds.Items())
	if err != nil {
		env.println(env.Stderr, "portal serve: sửa config.toml rồi chạy lại")
		return ExitError
	}
	public := filepath.Join(*source, "public")
	// A build killed while it updated public/ in place left a journal: finish it first
	// (publish.Recover), so that the server never starts on a half-updated site.
	if err := publish.Recover(public); err != nil {
		env.printf(env.Stderr, "portal serve: %v\n", err)
		return ExitError
	}
	if fi, err := os.Stat(public); err != nil || !fi.IsDir() {
		if err == nil || errors.Is(err, os.ErrNotExist) {
			env.printf(env.Stderr, "portal serve: không có trang đã dựng ở %s; chạy 'portal build' trước\n", public)
		} else {
			env.printf(env.Stderr, "portal serve: không đọc được %s: %v\n", public, err)
		}
		return ExitError
	}
	logf := server.Logger(env.Stderr, env.Lang)
	th, err := search.NewThesaurus(cfg.Search.SynonymSets(), reg)
	if err != nil {
		env.printf(env.Stderr, "portal serve: config.toml: [search.synonyms]: %v\n", err)
		return ExitError
	}
	opts := server.Options{Root: public, Logf: logf, TermURL: server.TermURLs(cfg.TaxonomyPaths()), Thesaurus: th}
	if !cfg.Search.Disabled {
		opts.IndexPath = cfg.Search.Index
		if !filepath.IsAbs(opts.IndexPath) {
			opts.IndexPath = filepath.Join(public, opts.IndexPath)
		}
	}
	pages := &searchPages{source: *source, public: public, cfg: cfg, reg: reg, logf: logf, fallback: server.BuiltinSearchPage}
	pages.current() // prepared now, so that a theme error is logged at start
	opts.SearchPage = pages.Render
	h, err := server.New(opts)
	if err != nil {
		env.printf(env.Stderr, "portal serve: %v\n", err)
		return ExitError
	}
	defer h.Close()
	ln, err := server.Listen(*addr)
	if err != nil {
		env.printf(env.Stderr, "portal serve: %v\n", err)
		return ExitError
	}
	env.printf(env.Stdout, "Đang phục vụ %s tại %s (Ctrl+C để dừng)\n", public, server.URL(ln))
	if err := server.Serve(ctx, ln, h, logf); err != nil {
		env.printf(env.Stderr, "portal serve: %v\n", err)
		return ExitError
	}
	env.println(env.Stdout, "Đã dừng máy chủ.")
	return ExitOK
}

// searchPage prepares the theme's search layout for server-rendered results, with the
// asset URLs the build published in public's manifest (never computed again: a build
// with --no-minify publishes other ones). The graph has no articles: the search page
// only needs the site's menus, taxonomies and assets.
func searchPage(source, public string, cfg config.Config, reg *province.Registry) (func(*render.SearchView) ([]byte, error), error) {
	m, err := publish.ReadManifest(public)
	if err != nil {
		return nil, message.Errorf("%v (dựng lại trang bằng phiên bản portal này)", err)
	}
	g, _ := site.Assemble(site.Input{Config: cfg, Registry: reg})
	r, err := render.New(render.Options{SiteDir: source, Config: cfg, Graph: g, Assets: m.Assets})
	if err != nil {
		return nil, err
	}
	return server.PageRenderer(r, g)
}
