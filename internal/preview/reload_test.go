package preview

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/server"
)

// serveReal serves a running session with the server's own http.Server
// (server.NewHTTPServer) on loopback, with the write timeout given.
func serveReal(t *testing.T, s *Session, writeTimeout time.Duration) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(s.Handler(ln), t.Logf)
	srv.WriteTimeout = writeTimeout
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// sse is one message of an event stream: an event, or a comment (name "").
type sse struct{ id, name, data, comment string }

// stream is an open event stream read in the background.
type stream struct {
	msgs chan sse
	resp *http.Response
}

// openStream connects to the event stream; lastID, if set, is sent as Last-Event-ID as a
// browser does when it reconnects.
func openStream(t *testing.T, base, query, lastID string) *stream {
	t.Helper()
	req, _ := http.NewRequest("GET", base+eventsURL+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("event stream: %s", resp.Status)
	}
	st := &stream{msgs: make(chan sse, 64), resp: resp}
	t.Cleanup(st.close)
	go func() {
		defer close(st.msgs)
		sc := bufio.NewScanner(resp.Body)
		var m sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if m != (sse{}) {
					st.msgs <- m
				}
				m = sse{}
			case strings.HasPrefix(line, ":"):
				st.msgs <- sse{comment: strings.TrimSpace(line[1:])}
			default:
				k, v, _ := strings.Cut(line, ":")
				v = strings.TrimPrefix(v, " ")
				switch k {
				case "id":
					m.id = v
				case "event":
					m.name = v
				case "data":
					m.data = v
				}
			}
		}
	}()
	return st
}

func (st *stream) close() { st.resp.Body.Close() }

// next returns the next event (comments are skipped), failing the test if the stream
// ends or nothing comes within d.
func (st *stream) next(t *testing.T, d time.Duration) sse {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case m, ok := <-st.msgs:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if m.name != "" {
				return m
			}
		case <-timeout:
			t.Fatalf("no event within %v", d)
		}
	}
}

// newSession runs a session on a new site with its watcher.
func newSession(t *testing.T, dir string) *Session {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := New(ctx, Options{SiteDir: dir, Drafts: true, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	go s.Watch(ctx)
	t.Cleanup(func() { cancel(); s.Close() })
	time.Sleep(50 * time.Millisecond) // let the watcher register
	return s
}

// Hardening II, item 11: the server's write timeout must not end the event stream, or a
// save made before the browser reconnects is never announced.
func TestEventStreamOutlivesWriteTimeout(t *testing.T) {
	dir := newSite(t)
	s := newSession(t, dir)
	base := serveReal(t, s, 300*time.Millisecond)
	st := openStream(t, base, "", "")
	time.Sleep(time.Second)
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Sửa sau một giây."))
	for {
		if e := st.next(t, 20*time.Second); e.name == "reload" {
			break
		}
	}
}

// Hardening II, item 11: a tab that reconnects after missing a build learns it at once,
// by its Last-Event-ID (the browser's own reconnection) or ?since= (the script's, after
// the stream failed).
func TestEventStreamCatchesUpOnReconnect(t *testing.T) {
	dir := newSite(t)
	s := newSession(t, dir)
	base := serveReal(t, s, 0)
	first := openStream(t, base, "", "").next(t, 5*time.Second)
	if first.id == "" || first.name != "connected" {
		t.Fatalf("first event %+v, want \"connected\" with the current build's id", first)
	}

	// Nothing happened since: no reload.
	if e := openStream(t, base, "", first.id).next(t, 5*time.Second); e.name != "connected" || e.id != first.id {
		t.Errorf("reconnecting with the current id: %+v, want connected %s", e, first.id)
	}

	n := s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Sửa khi thẻ mất kết nối."))
	waitBuilds(t, s, n)
	for _, st := range []*stream{openStream(t, base, "", first.id), openStream(t, base, "?since="+first.id, "")} {
		e := st.next(t, 2*time.Second)
		if e.name != "reload" || e.id == "" || e.id == first.id {
			t.Errorf("reconnecting after a missed build: %+v, want reload with a new id", e)
		}
	}
	// An id of another preview run (the preview was restarted): its pages may be stale.
	if e := openStream(t, base, "", "khac-1").next(t, 2*time.Second); e.name != "reload" {
		t.Errorf("reconnecting with an id of another run: %+v, want reload", e)
	}

	// A build that held an article back: the site changed (a reload), and a tab that
	// connects then shows the overlay naming the file and line.
	cur := openStream(t, base, "", "").next(t, 5*time.Second).id
	n = s.Builds()
	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: [\n---\nx\n")
	waitBuilds(t, s, n)
	if e := openStream(t, base, "", cur).next(t, 2*time.Second); e.name != "reload" {
		t.Errorf("reconnecting after a build that held an article back: %+v, want reload", e)
	}
	e := openStream(t, base, "", "").next(t, 2*time.Second)
	if e.name != "held-back" || !strings.Contains(e.data, "content/tin-tuc/a.md:3") {
		t.Errorf("a new tab while an article is held back: %+v, want held-back naming a.md:3", e)
	}

	// A failed build missed: the overlay at once; then its fix: a reload.
	cur = e.id
	n = s.Builds()
	write(t, dir, "config.toml", "title = [\n")
	waitBuilds(t, s, n)
	e = openStream(t, base, "", cur).next(t, 2*time.Second)
	if e.name != "build-error" || !strings.Contains(e.data, "config.toml:") {
		t.Errorf("reconnecting after a failed build: %+v, want build-error", e)
	}
	// One file at a time: written together, the watcher may build after the first
	// (the article still held back) and waitBuilds would return before the fix is built.
	n = s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Đã sửa."))
	waitBuilds(t, s, n)
	n = s.Builds()
	write(t, dir, "config.toml", cfgTOML)
	waitBuilds(t, s, n)
	if e := openStream(t, base, "", e.id).next(t, 2*time.Second); e.name != "reload" {
		t.Errorf("reconnecting after the fix: %+v, want reload", e)
	}
}

func waitBuilds(t *testing.T, s *Session, n int64) {
	t.Helper()
	(&running{s: s}).waitBuilds(t, n)
}

// An idle stream gets keep-alive comments, so that proxies and browsers keep it.
func TestEventStreamPings(t *testing.T) {
	s := newSession(t, newSite(t))
	s.hub.ping = 100 * time.Millisecond
	st := openStream(t, serveReal(t, s, 300*time.Millisecond), "", "")
	pings := 0
	for timeout := time.After(5 * time.Second); pings < 8; {
		select {
		case m, ok := <-st.msgs:
			if !ok {
				t.Fatalf("the stream ended after %d pings", pings)
			}
			if m.comment == "ping" {
				pings++
			}
		case <-timeout:
			t.Fatalf("%d pings in 5 s, want one every 100 ms", pings)
		}
	}
}

// A tab that does not read its stream is dropped rather than holding the rebuilds back;
// its browser reconnects and catches up.
func TestSlowTabIsDropped(t *testing.T) {
	h := newHub(t.Logf)
	c := &client{events: make(chan event, 8), gone: make(chan struct{})}
	h.clients[c] = true
	for range 9 {
		h.ok("reload")
	}
	select {
	case <-c.gone:
	default:
		t.Fatal("a tab with a full queue must be dropped")
	}
	if len(h.clients) != 0 {
		t.Error("the dropped tab is still a client")
	}
}

// Hardening II, item 12: event streams are capped; beyond the cap the answer is 503 with
// Retry-After, and a stream closed frees its place.
func TestEventStreamsAreCapped(t *testing.T) {
	s := newSession(t, newSite(t))
	s.hub.max = 2
	base := serveReal(t, s, 0)
	a := openStream(t, base, "", "")
	openStream(t, base, "", "")
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(base + eventsURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body) // a stream: read until the client's timeout
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(body), "Quá nhiều") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("a stream beyond the cap: %s, Retry-After %q, %q; want 503 with Retry-After and a Vietnamese text",
			resp.Status, resp.Header.Get("Retry-After"), body)
	}
	a.close()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get(base + eventsURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream did not free its place: %s", resp.Status)
		}
	}
}
