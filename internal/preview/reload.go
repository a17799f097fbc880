package preview

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/diag"
)

// Paths served by the preview besides the site. The prefix cannot clash with content:
// the build never writes names that start with "__".
const (
	prefix    = "/__portal/"
	scriptURL = prefix + "livereload.js"
	eventsURL = prefix + "events"
	styleURL  = prefix + "overlay.css"
)

// event is one Server-Sent Event.
type event struct {
	name string
	data string
}

// hub fans build events out to the open browser tabs and remembers whether the last
// build failed, so a tab that connects later shows the overlay at once.
type hub struct {
	mu      sync.Mutex
	clients map[chan event]bool
	failing *event
	done    chan struct{} // closed when the preview stops: ends every open stream
	once    sync.Once
}

func newHub() *hub { return &hub{clients: map[chan event]bool{}, done: make(chan struct{})} }

// close ends every open event stream, so that shutting the server down does not wait
// for browser tabs that never disconnect by themselves.
func (h *hub) close() { h.once.Do(func() { close(h.done) }) }

func (h *hub) broadcast(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- e:
		default: // a slow tab misses an event rather than blocking the rebuild
		}
	}
}

// overlayItem is one problem shown in the browser overlay.
type overlayItem struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// fail records a failed build and tells every tab.
func (h *hub) fail(ds []diag.Diagnostic, err error) {
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
			items = append(items, overlayItem{loc, d.Message, "error"})
		}
	}
	if len(items) == 0 && err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			loc, msg := "", line
			if i := strings.Index(line, ": "); i > 0 && strings.Contains(line[:i], ":") {
				loc, msg = line[:i], line[i+2:]
			}
			items = append(items, overlayItem{loc, msg, "error"})
		}
	}
	b, _ := json.Marshal(items)
	e := event{"build-error", string(b)}
	h.mu.Lock()
	h.failing = &e
	h.mu.Unlock()
	h.broadcast(e)
}

// ok records a successful build; kind is "reload", "css" or "" (nothing visible changed).
func (h *hub) ok(kind string) {
	h.mu.Lock()
	wasFailing := h.failing != nil
	h.failing = nil
	h.mu.Unlock()
	if wasFailing {
		h.broadcast(event{"build-ok", "{}"})
	}
	if kind != "" {
		h.broadcast(event{kind, fmt.Sprintf(`{"at":%d}`, time.Now().UnixMilli())})
	}
}

func (h *hub) failure() *event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.failing
}

// serveEvents streams events to one tab until it goes away.
func (h *hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	c := make(chan event, 8)
	h.mu.Lock()
	h.clients[c] = true
	first := h.failing
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n: portal preview\n\n")
	if first != nil {
		writeEvent(w, *first)
	}
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case e := <-c:
			writeEvent(w, e)
			fl.Flush()
		case <-ping.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		}
	}
}

func writeEvent(w http.ResponseWriter, e event) {
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.name, strings.ReplaceAll(e.data, "\n", "\ndata: "))
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
// removes it.
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
  function showErrors(items) {
    ensureStyle();
    hide();
    overlay = document.createElement("div");
    overlay.id = "portal-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "portal-overlay-title");
    var h = document.createElement("h2");
    h.id = "portal-overlay-title";
    h.textContent = "Lỗi khi dựng trang — trang đang hiển thị bản dựng thành công gần nhất";
    overlay.appendChild(h);
    var ul = document.createElement("ul");
    items.forEach(function (it) {
      var li = document.createElement("li");
      var c = document.createElement("code");
      c.textContent = it.location;
      li.appendChild(c);
      li.appendChild(document.createTextNode(" " + it.message));
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    var p = document.createElement("p");
    p.textContent = "Sửa tệp và lưu lại: thông báo này sẽ tự biến mất.";
    overlay.appendChild(p);
    document.body.appendChild(overlay);
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
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
  var es = new EventSource("` + eventsURL + `");
  es.addEventListener("open", function () { window.__portalConnected = true; });
  es.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
  es.addEventListener("css", swapCSS);
  es.addEventListener("build-error", function (e) { showErrors(JSON.parse(e.data)); });
  es.addEventListener("build-ok", hide);
})();
`

const overlayCSS = `#portal-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;
background:#fff;color:#0b0c0c;border-top:6px solid #d4351c;padding:1rem 1.5rem;font:16px/1.5 system-ui,sans-serif;
box-shadow:0 -4px 16px rgba(0,0,0,.3)}
#portal-overlay h2{margin:0 0 .5rem;color:#d4351c;font-size:1.2rem}
#portal-overlay code{font-weight:bold;background:#f3f2f1;padding:0 .25rem}
main{max-width:50rem;margin:2rem auto;font:16px/1.6 system-ui,sans-serif}
`
