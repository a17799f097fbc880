// Package server serves a built site over HTTP with net/http alone: the static files of
// the output folder (safely: nothing outside it, no dot-files, no listings), the
// server-rendered search page and the JSON search API. `portal serve` and `portal preview`
// both build their handler with New and run it with Run (or Listen + Serve).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
)

// Searcher runs searches. *search.Live is the one used in production; tests and preview
// may wrap it.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (search.Result, error)
}

// Defaults of Options.
const (
	DefaultSearchURL     = "/tim-kiem/"
	DefaultMaxConcurrent = 8
	DefaultQueueWait     = time.Second
	DefaultSearchTimeout = 2 * time.Second
)

// Options configure a Handler.
type Options struct {
	// Root is the folder holding the built site (the build's output folder). It is
	// opened by name on every request, so an atomic swap of the folder by a later
	// build is picked up at once.
	Root string
	// IndexPath is the search index folder. When Searcher is nil and IndexPath is set,
	// New opens it with search.NewLive. With neither, search answers 503.
	IndexPath string
	// Searcher overrides the index named by IndexPath.
	Searcher Searcher
	// Thesaurus expands queries with synonyms and merged provinces (the
	// site's [search.synonyms] and province registry); nil means
	// search.DefaultThesaurus.
	Thesaurus *search.Thesaurus
	// SearchPage renders the search results page (the theme's search layout) for a
	// view. Nil uses a minimal built-in page. See PageRenderer.
	SearchPage func(view *render.SearchView) ([]byte, error)
	// SearchURL is the search page's path; default "/tim-kiem/".
	SearchURL string
	// TermURL returns the page of a taxonomy term (key "provinces" or "categories").
	// Nil gives "/tinh/<slug>/" and "/chuyen-muc/<slug>/"; see TermURLs.
	TermURL func(key, slug string) string
	// Gate orders requests with changes of Root and the search index (see Gate); nil
	// means a Gate of the Handler's own, never switched.
	Gate *Gate
	// Logf reports errors and the reasons search is unavailable. Nil discards.
	Logf func(format string, args ...any)
	// MaxConcurrent bounds concurrent searches (default 8); QueueWait is how long a
	// search waits for a slot before 503 (default 1 s); SearchTimeout is each
	// search's deadline (default 2 s).
	MaxConcurrent int
	QueueWait     time.Duration
	SearchTimeout time.Duration
}

// Handler is the site's http.Handler. It is safe for concurrent use.
type Handler struct {
	opts     Options
	searcher Searcher
	closer   io.Closer
	sem      chan struct{}
	logf     func(string, ...any)
	gzPool   sync.Pool // *gzip.Writer for small files compressed per request
}

// New checks opts and returns the handler. A missing or unreadable search index is not
// an error: the site is served and search answers 503 until a build provides an index.
func New(opts Options) (*Handler, error) {
	if opts.Root == "" {
		return nil, errors.New("server: Options.Root (the folder to serve) is empty")
	}
	fi, err := os.Stat(opts.Root)
	if err != nil {
		return nil, fmt.Errorf("server: cannot serve %s: %w", opts.Root, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("server: cannot serve %s: not a folder", opts.Root)
	}
	if opts.SearchURL == "" {
		opts.SearchURL = DefaultSearchURL
	}
	if !strings.HasPrefix(opts.SearchURL, "/") || !strings.HasSuffix(opts.SearchURL, "/") {
		return nil, fmt.Errorf("server: SearchURL %q must start and end with a slash", opts.SearchURL)
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.QueueWait <= 0 {
		opts.QueueWait = DefaultQueueWait
	}
	if opts.SearchTimeout <= 0 {
		opts.SearchTimeout = DefaultSearchTimeout
	}
	if opts.TermURL == nil {
		opts.TermURL = TermURLs(nil)
	}
	if opts.Gate == nil {
		opts.Gate = &Gate{}
	}
	h := &Handler{opts: opts, sem: make(chan struct{}, opts.MaxConcurrent), logf: opts.Logf}
	if h.logf == nil {
		h.logf = func(string, ...any) {}
	}
	switch {
	case opts.Searcher != nil:
		h.searcher = opts.Searcher
	case opts.IndexPath != "":
		// Live logs why the index cannot be opened, once per distinct reason, and
		// picks up a new generation written by a later build.
		live := search.NewLive(opts.IndexPath, h.logf)
		h.searcher, h.closer = live, live
	default:
		h.logf("tìm kiếm không hoạt động: không có chỉ mục tìm kiếm (search.disabled trong config.toml?)")
	}
	return h, nil
}

// Close releases the search index opened by New (not a Searcher given in Options).
func (h *Handler) Close() error {
	if h.closer != nil {
		return h.closer.Close()
	}
	return nil
}

// TermURLs returns a TermURL function from taxonomy key → URL path segment ("provinces"
// → "tinh"), as in config.toml's taxonomies. Missing keys use "tinh" and "chuyen-muc".
func TermURLs(paths map[string]string) func(key, slug string) string {
	m := map[string]string{"provinces": "tinh", "categories": "chuyen-muc"}
	for k, v := range paths {
		m[k] = strings.Trim(v, "/")
	}
	return func(key, slug string) string {
		p, ok := m[key]
		if !ok {
			p = key
		}
		return "/" + p + "/" + slug + "/"
	}
}

// securityHeaders are set on every response.
var securityHeaders = [...][2]string{
	{"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"X-Frame-Options", "DENY"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"},
}

// SetSecurityHeaders sets the headers every response of the site carries
// (Content-Security-Policy, X-Content-Type-Options: nosniff...). The preview sets them on
// its own responses too.
func SetSecurityHeaders(hdr http.Header) {
	for _, kv := range securityHeaders {
		hdr.Set(kv[0], kv[1])
	}
}

// maxBody caps request bodies; no endpoint reads one.
const maxBody = 1 << 10

// ServeHTTP routes a request: /api/search, the search page with parameters, static files.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	SetSecurityHeaders(hdr)
	if len(r.TransferEncoding) > 0 {
		// A chunked request body. No endpoint takes a body, and net/http has already
		// dropped a Content-Length sent with it, so a request with both (a smuggling
		// attempt through a proxy that reads the length) cannot be told from one with
		// Transfer-Encoding alone: refuse both and close the connection, as RFC 9112 §6.3
		// requires for the former, so that nothing after the body is read as a request.
		hdr.Set("Connection", "close")
		Plain(w, http.StatusBadRequest, "400 – Yêu cầu không hợp lệ: máy chủ không nhận nội dung gửi kèm theo Transfer-Encoding.")
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		Plain(w, http.StatusMethodNotAllowed, "405 – Phương thức không được hỗ trợ; chỉ nhận GET và HEAD.")
		return
	}
	switch {
	case r.URL.Path == "/api/search" && safeRawPath(r):
		h.serveAPI(w, r)
	case r.URL.Path == h.opts.SearchURL && r.URL.RawQuery != "" && safeRawPath(r):
		h.serveSearchPage(w, r)
	default:
		h.serveStatic(w, r)
	}
}

// Plain writes a short text/plain answer with the security headers of every response.
func Plain(w http.ResponseWriter, status int, msg string) {
	SetSecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}
