package preview

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/server"
)

// Paths served by the preview besides the site. The prefix cannot clash with content:
// the build never writes names that start with "__".
const (
	prefix    = "/__portal/"
	scriptURL = prefix + "livereload.js"
	eventsURL = prefix + "events"
	styleURL  = prefix + "overlay.css"
)

// event is one Server-Sent Event. id is the build it tells of (see hub.id).
type event struct {
	name string
	data string
	id   string
}

// Event stream settings.
const (
	// pingEvery is how often an idle stream gets a comment, so that proxies and browsers
	// keep it open.
	pingEvery = 15 * time.Second
	// streamWriteTimeout bounds each write to a stream. The stream is exempt from the
	// server's WriteTimeout (which would end it every 30 s), not from a dead tab.
	streamWriteTimeout = 10 * time.Second
	// retrySeconds is how long the script waits before opening a stream again after the
	// server refused one (the browser does not retry an HTTP error by itself); the 503
	// says the same in Retry-After.
	retrySeconds = "3"
	// maxStreams caps the open event streams (one per tab); more are refused with 503.
	maxStreams = 64
)

// client is one open event stream.
type client struct {
	events chan event
	gone   chan struct{} // closed when the hub drops a tab that does not keep up
	// page is the output path of the page the tab shows ("tin-tuc/x/index.html"; "" when
	// unknown), from the stream's ?path=: a build renders it first (build.FirstPages).
	page string
}

// hub fans build events out to the open browser tabs. It numbers the builds, so that a
// tab that reconnects (its Last-Event-ID, or ?since= from the script) learns what it
// missed, and remembers whether the last build failed, so a tab that connects later
// shows the overlay at once.
type hub struct {
	mu      sync.Mutex
	clients map[*client]bool
	run     string // tells this preview's event ids from those of an earlier run
	build   int64  // builds finished so far
	changed int64  // the last build that changed what the pages show
	failing *event
	done    chan struct{} // closed when the preview stops: ends every open stream
	once    sync.Once
	ping    time.Duration
	max     int  // open streams at most (maxStreams)
	full    bool // a stream was refused since the last one accepted (reported once)
	logf    func(string, ...any)

	// held is the overlay of the last build when it published the site but held back
	// articles with errors (nil otherwise): it lists them, the pages still update.
	held *event
	// notes are the warnings each page shows about itself (notes.go).
	notes pageNotes
	// first are the pages whose tabs the running build has told to reload already
	// (reloadFirst): its end does not tell them again.
	first map[string]bool
}

func newHub(logf func(string, ...any)) *hub {
	return &hub{clients: map[*client]bool{}, done: make(chan struct{}), ping: pingEvery, max: maxStreams, logf: logf,
		run: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// close ends every open event stream, so that shutting the server down does not wait
// for browser tabs that never disconnect by themselves.
func (h *hub) close() { h.once.Do(func() { close(h.done) }) }

// id is the event id of the current build: "<run>-<build>". Called with mu held.
func (h *hub) id() string { return h.run + "-" + strconv.FormatInt(h.build, 10) }

// broadcast sends e to every tab. Called with mu held. A tab whose queue is full is
// dropped rather than blocking the rebuild: its browser reconnects and catches up.
func (h *hub) broadcast(e event) { h.broadcastExcept(e, nil) }

// overlayItem is one problem shown in the browser overlay.
type overlayItem struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// errorItems are the errors of ds as overlay items, their messages in lang.
func errorItems(ds []diag.Diagnostic, lang message.Lang) []overlayItem {
	var items []overlayItem
	for _, d := range ds {
		if d.Severity == diag.Error {
			loc := d.Path
			if d.Line > 0 {
				loc = fmt.Sprintf("%s:%d", d.Path, d.Line)
				if d.Col > 0 {
					loc += fmt.Sprintf(":%d", d.Col)
				}
			}
			items = append(items, overlayItem{loc, d.Text(lang), "error"})
		}
	}
	return items
}

// fail records a failed build and tells every tab; the messages are in lang.
func (h *hub) fail(ds []diag.Diagnostic, err error, lang message.Lang) {
	h.mu.Lock()
	h.first = nil
	h.mu.Unlock()
	items := errorItems(ds, lang)
	if len(items) == 0 && err != nil {
		for _, line := range strings.Split(lang.Error(err), "\n") {
			loc, msg := "", line
			if i := strings.Index(line, ": "); i > 0 && strings.Contains(line[:i], ":") {
				loc, msg = line[:i], line[i+2:]
			}
			items = append(items, overlayItem{loc, msg, "error"})
		}
	}
	b, _ := json.Marshal(items)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.build++
	e := event{"build-error", string(b), h.id()}
	h.failing = &e
	h.broadcast(e)
}

// ok records a successful build; kind is "reload", "css" or "" (nothing visible changed).
func (h *hub) ok(kind string) { h.published(kind, nil) }

// published records a build that published the site: kind is "reload", "css" or ""
// (nothing visible changed); held are the errors of the articles it held back, which
// every tab shows in an overlay ("held-back") while the pages keep updating.
func (h *hub) published(kind string, held []overlayItem) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.build++
	overlay := h.failing != nil || h.held != nil
	h.failing, h.held = nil, nil
	if len(held) > 0 {
		b, _ := json.Marshal(held)
		e := event{"held-back", string(b), h.id()}
		h.held = &e
		h.broadcast(e)
	} else if overlay {
		h.broadcast(event{"build-ok", "{}", h.id()})
	}
	first := h.first
	h.first = nil
	if kind != "" {
		h.changed = h.build
		e := event{kind, fmt.Sprintf(`{"at":%d}`, time.Now().UnixMilli()), h.id()}
		if kind != "reload" {
			first = nil // a stylesheet swap goes to every tab
		}
		h.broadcastExcept(e, first)
	}
}

// broadcastExcept sends e to every tab that does not show one of the pages in skip, as
// broadcast does. Called with mu held.
func (h *hub) broadcastExcept(e event, skip map[string]bool) {
	h.sendWhere(e, func(c *client) bool { return !skip[c.page] })
}

// sendWhere sends e to the tabs for which to is true; a tab too slow to take it is
// dropped (its script reconnects). Called with mu held.
func (h *hub) sendWhere(e event, to func(*client) bool) {
	for c := range h.clients {
		if !to(c) {
			continue
		}
		select {
		case c.events <- e:
		default:
			close(c.gone)
			delete(h.clients, c)
		}
	}
}

// viewed returns the pages the open tabs show (output paths, each once, sorted).
func (h *hub) viewed() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for c := range h.clients {
		if c.page != "" {
			out = append(out, c.page)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// settled reports whether the tabs show no overlay: the last build published everything.
// Only then may a build's first pages reload their tabs before it ends (a build that
// clears an overlay does so at its end, with "build-ok").
func (h *hub) settled() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing == nil && h.held == nil
}

// reloadFirst tells the tabs that show one of the changed pages to reload now, before
// the running build ends (build.FirstPages.Ready); the build's end does not tell them
// again. The event carries the id the build will have.
func (h *hub) reloadFirst(changed []string) {
	if len(changed) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.first == nil {
		h.first = map[string]bool{}
	}
	for _, p := range changed {
		h.first[p] = true
	}
	e := event{"reload", fmt.Sprintf(`{"at":%d,"first":true}`, time.Now().UnixMilli()), h.run + "-" + strconv.FormatInt(h.build+1, 10)}
	h.sendWhere(e, func(c *client) bool { return h.first[c.page] })
}

func (h *hub) failure() *event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing
}

// heldBack is the overlay of the last build when it held articles back, else nil.
func (h *hub) heldBack() *event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.held
}

// catchUp returns the first event for a tab that last saw the build of id since ("" for
// a new tab): "reload" if it missed a change (or the id is of another run), the overlay
// if the last build failed or held articles back, "build-ok" if it missed a build that cleared an overlay it
// may show; else "connected". Every one carries the current id. Called with mu held.
func (h *hub) catchUp(since string) event {
	id := h.id()
	n, err := strconv.ParseInt(strings.TrimPrefix(since, h.run+"-"), 10, 64)
	known := err == nil && strings.HasPrefix(since, h.run+"-")
	switch {
	case since != "" && (!known || n < h.changed):
		return event{"reload", "{}", id}
	case h.failing != nil:
		return *h.failing
	case h.held != nil:
		return *h.held
	case since != "" && n < h.build:
		return event{"build-ok", "{}", id}
	}
	return event{"connected", "{}", id}
}

// serveEvents streams events to one tab until it goes away.
func (h *hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead { // no stream: it would hold a place until the client hangs up
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		return
	}
	since := r.Header.Get("Last-Event-ID")
	if since == "" {
		since = r.URL.Query().Get("since")
	}
	c := &client{events: make(chan event, 8), gone: make(chan struct{}), page: viewedPage(r.URL.Query().Get("path"))}
	h.mu.Lock()
	if len(h.clients) >= h.max {
		report := !h.full
		h.full = true
		h.mu.Unlock()
		if report {
			h.logf("tải lại trực tiếp: đã có %d thẻ trình duyệt theo dõi bản xem trước; thẻ mới bị từ chối cho tới khi bớt thẻ", h.max)
		}
		w.Header().Set("Retry-After", retrySeconds)
		server.Plain(w, http.StatusServiceUnavailable, fmt.Sprintf("503 – Quá nhiều thẻ trình duyệt đang theo dõi bản xem trước (tối đa %d). Đóng bớt thẻ: trang sẽ tự kết nối lại.", h.max))
		return
	}
	h.full = false
	h.clients[c] = true
	first := h.catchUp(since)
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	rc := http.NewResponseController(w)
	send := func(s string) bool {
		// Each write gets its own deadline in place of the server's WriteTimeout, which
		// counts from the request and would cut the stream.
		if err := rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return false
		}
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 500\n: portal preview\n\n" + formatEvent(first)) {
		return
	}
	ping := time.NewTicker(h.ping)
	defer ping.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case <-c.gone:
			return
		case e := <-c.events:
			msg = formatEvent(e)
		case <-ping.C:
			msg = ": ping\n\n"
		}
		if !send(msg) {
			return
		}
	}
}

// viewedPage is the output path of the page at URL path p ("" when p names none).
func viewedPage(p string) string {
	p, err := url.PathUnescape(p) // the browser's location.pathname is escaped
	if err != nil {
		return ""
	}
	name, _, ok := server.CleanName(p)
	if !ok {
		return ""
	}
	return name
}

func formatEvent(e event) string {
	return fmt.Sprintf("id: %s\nevent: %s\ndata: %s\n\n", e.id, e.name, strings.ReplaceAll(e.data, "\n", "\ndata: "))
}

// errorPage is served for a page that does not exist while the build is failing (for
// example when the very first build failed), so the editor sees the overlay.
func errorPage(e *event) []byte {
	var items []overlayItem
	json.Unmarshal([]byte(e.data), &items)
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi khi dựng trang</title>`)
	b.WriteString(`<link rel="stylesheet" href="` + styleURL + `"></head><body><main><h1>Lỗi khi dựng trang</h1><ul>`)
	for _, it := range items {
		b.WriteString("<li><code>" + html.EscapeString(it.Location) + "</code> " + html.EscapeString(it.Message) + "</li>")
	}
	b.WriteString(`</ul><p>Sửa tệp và lưu lại: trang sẽ tự tải lại.</p></main><script src="` + scriptURL + `"></script></body></html>`)
	return []byte(b.String())
}

// liveReloadJS connects to the event stream. On "reload" it reloads the page and keeps
// the scroll position; on "css" it swaps the stylesheets without a reload; on
// "build-error" it shows an overlay with file:line and the message; on "build-ok" it
// removes it. It keeps the id of the last event for reconnecting.
const liveReloadJS = `(function () {
  "use strict";
  var key = "portal-preview-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = parseInt(saved, 10) || 0;
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  var overlay = null;
  function ensureStyle() {
    if (document.getElementById("portal-overlay-css")) return;
    var l = document.createElement("link");
    l.id = "portal-overlay-css"; l.rel = "stylesheet"; l.href = "` + styleURL + `";
    document.head.appendChild(l);
  }
  // messageList: a list of messages, each with its path:line:col as code.
  function messageList(items) {
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li");
      var c = document.createElement("code");
      c.textContent = it.location;
      li.appendChild(c);
      li.appendChild(document.createTextNode(" " + it.message));
      ul.appendChild(li);
    });
    return ul;
  }
  function showErrors(items, title, hint) {
    ensureStyle();
    hide();
    overlay = document.createElement("div");
    overlay.id = "portal-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "portal-overlay-title");
    var h = document.createElement("h2");
    h.id = "portal-overlay-title";
    h.textContent = title || "Lỗi khi dựng trang — trang đang hiển thị bản dựng thành công gần nhất";
    overlay.appendChild(h);
    overlay.appendChild(messageList(items));
    var p = document.createElement("p");
    p.textContent = hint || "Sửa tệp và lưu lại: thông báo này sẽ tự biến mất.";
    overlay.appendChild(p);
    document.body.appendChild(overlay);
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  // Warnings about this page's own file (a PDF whose text cannot be read, a document
  // number the library lacks): a panel that does not cover the page.
  var notes = null;
  function loadNotes() {
    fetch("` + notesURL + `?path=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (r) { return r.json(); }).then(showNotes, function () {});
  }
  function showNotes(items) {
    if (notes) { notes.remove(); notes = null; }
    window.__portalNotes = items.length;
    if (!items.length) return;
    ensureStyle();
    notes = document.createElement("aside");
    notes.id = "portal-notes";
    notes.setAttribute("role", "status");
    notes.setAttribute("aria-labelledby", "portal-notes-title");
    var h = document.createElement("h2");
    h.id = "portal-notes-title";
    h.textContent = "Cảnh báo về trang này (trang vẫn được xuất bản)";
    notes.appendChild(h);
    notes.appendChild(messageList(items));
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = "Ẩn";
    b.addEventListener("click", function () { notes.remove(); notes = null; });
    notes.appendChild(b);
    document.body.appendChild(notes);
  }
  function swapCSS() {
    fetch(location.href, { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var fresh = doc.querySelectorAll('link[rel="stylesheet"]');
      var old = document.querySelectorAll('link[rel="stylesheet"]:not(#portal-overlay-css)');
      for (var i = 0; i < old.length && i < fresh.length; i++) {
        var n = document.createElement("link");
        n.rel = "stylesheet";
        n.href = fresh[i].getAttribute("href");
        if (fresh[i].media) n.media = fresh[i].media;
        (function (o) { n.addEventListener("load", function () { o.remove(); }); })(old[i]);
        old[i].after(n);
      }
      window.__portalCSSSwaps = (window.__portalCSSSwaps || 0) + 1;
    });
  }
  // The browser reconnects a dropped stream by itself, sending the id of the last event
  // it saw (Last-Event-ID), so the server can tell it what it missed. A stream refused
  // with an HTTP error (503: too many tabs) is not retried by the browser: the script
  // opens a new one after a while, passing that id as ?since=.
  var last = "";
  function connect() {
    var es = new EventSource("` + eventsURL + `?path=" + encodeURIComponent(location.pathname) +
      (last ? "&since=" + encodeURIComponent(last) : ""));
    function on(name, f) {
      es.addEventListener(name, function (e) {
        if (e.lastEventId) last = e.lastEventId;
        f(e);
      });
    }
    es.addEventListener("open", function () { window.__portalConnected = true; });
    es.addEventListener("error", function () {
      window.__portalConnected = false;
      if (es.readyState === EventSource.CLOSED) setTimeout(connect, ` + retrySeconds + ` * 1000);
    });
    on("connected", function () {});
    on("reload", function () {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    });
    on("css", swapCSS);
    on("build-error", function (e) { showErrors(JSON.parse(e.data)); });
    on("held-back", function (e) {
      showErrors(JSON.parse(e.data), "Bài có lỗi chưa được cập nhật — các trang khác vẫn cập nhật bình thường",
        "Bài đã xuất bản giữ bản cũ; bài mới có lỗi chưa hiện trên trang. Sửa tệp và lưu lại: thông báo này sẽ tự biến mất.");
    });
    on("build-ok", hide);
    on("notes", loadNotes);
  }
  connect();
  loadNotes();
})();
`

const overlayCSS = `#portal-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;
background:#fff;color:#0b0c0c;border-top:6px solid #d4351c;padding:1rem 1.5rem;font:16px/1.5 system-ui,sans-serif;
box-shadow:0 -4px 16px rgba(0,0,0,.3)}
#portal-overlay h2{margin:0 0 .5rem;color:#d4351c;font-size:1.2rem}
#portal-overlay code,#portal-notes code{font-weight:bold;background:#f3f2f1;padding:0 .25rem}
#portal-notes{position:fixed;inset:auto 0 0 auto;max-width:36rem;max-height:40vh;overflow:auto;z-index:2147483646;
background:#fff;color:#0b0c0c;border-left:6px solid #b35c00;padding:.75rem 1rem;font:15px/1.5 system-ui,sans-serif;
box-shadow:0 -2px 12px rgba(0,0,0,.3)}
#portal-notes h2{margin:0 0 .5rem;color:#8a4600;font-size:1rem}
main{max-width:50rem;margin:2rem auto;font:16px/1.6 system-ui,sans-serif}
`
