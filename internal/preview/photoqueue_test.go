package preview

import (
	"bufio"
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// Issue 16: saving an article with a new camera photo reloads the browser before the
// photo's variants are encoded; they are encoded by the session's queue afterwards, and
// a request for one still queued waits for it and gets its real bytes.
func TestNewPhotoReloadsBeforeItsVariantsAreEncoded(t *testing.T) {
	dir := newSite(t)
	jpg, err := corpus.PhotoJPEG(7, 0, 2000, 1500)
	if err != nil {
		t.Fatal(err)
	}
	// No watcher: the test runs the rebuild itself.
	ctx, cancel := context.WithCancel(context.Background())
	s, err := New(ctx, Options{SiteDir: dir, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = s.Handler(srv.Listener)
	srv.Start()
	t.Cleanup(func() { cancel(); s.Close(); srv.Close() })
	r := &running{s, srv, cancel}
	resp, err := http.Get(r.srv.URL + eventsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/tin-tuc/anh-moi/anh.jpg":  string(jpg),
		"content/tin-tuc/anh-moi/index.md": "---\ntitle: \"Hội nghị có ảnh\"\ndate: 2020-01-03\nimage: anh.jpg\nimage_alt: \"Toàn cảnh hội nghị\"\n---\n\n![Đại biểu phát biểu](anh.jpg \"Ảnh: Văn Dũng\")\n",
	})
	// The session's queue, its writes held until the test opens them: a request made
	// meanwhile is for a variant that does not exist yet.
	gate := &gatedFolder{Folder: s.out, open: make(chan struct{}), stop: s.bg.Done()}
	s.photos.Close()
	s.photos = build.NewPhotoQueue(s.bg, gate, s.logf)
	rep, err := r.s.Rebuild(context.Background(), nil)
	pending := r.s.photos.Pending() // the reload was sent before Rebuild returned
	if err != nil {
		t.Fatal(err)
	}
	if rep.ImagesProcessed != 1 {
		t.Fatalf("ImagesProcessed = %d, want the new photo", rep.ImagesProcessed)
	}
	if pending == 0 {
		t.Fatal("every variant was encoded before the reload was sent: the reload waited for the photo")
	}
	waitEvent(t, events, "reload")

	// The page names the variants; a phone's 720-px WebP, still queued or not, answers
	// with its real bytes.
	code, page := r.get(t, "/tin-tuc/anh-moi/")
	if code != 200 {
		t.Fatalf("article: %d", code)
	}
	webp := regexp.MustCompile(`(/_anh/anh\.720\.[0-9a-f]+\.webp) 720w`).FindStringSubmatch(page)
	share := regexp.MustCompile(`og:image" content="[^"]*(/_anh/anh\.1200\.[0-9a-f]+\.jpg)"`).FindStringSubmatch(page)
	if webp == nil || share == nil {
		t.Fatalf("the page does not name the 720-px WebP and the share JPEG:\n%s", page)
	}
	type answer struct {
		code int
		body []byte
		err  error
	}
	cases := []struct {
		url  string
		w, h int
	}{{webp[1], 720, 540}, {share[1], 1200, 900}}
	answers := make([]chan answer, len(cases))
	for i, c := range cases {
		if !r.s.photos.Queued(filepath.Base(c.url)) {
			t.Fatalf("%s is not queued while the queue's writes are held", c.url)
		}
		answers[i] = make(chan answer, 1)
		go func() {
			got, err := http.Get(r.srv.URL + c.url)
			if err != nil {
				answers[i] <- answer{err: err}
				return
			}
			var body bytes.Buffer
			body.ReadFrom(got.Body)
			got.Body.Close()
			answers[i] <- answer{got.StatusCode, body.Bytes(), nil}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); r.s.photos.Waiting() < int64(len(cases)); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d requests for queued variants wait for them", r.s.photos.Waiting(), len(cases))
		}
	}
	close(gate.open)
	for i, c := range cases {
		a := <-answers[i]
		if a.err != nil || a.code != 200 {
			t.Fatalf("%s: %d, %v; want 200", c.url, a.code, a.err)
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(a.body))
		if err != nil || cfg.Width != c.w || cfg.Height != c.h {
			t.Errorf("%s decodes to %dx%d (%v), want %dx%d", c.url, cfg.Width, cfg.Height, err, c.w, c.h)
		}
	}

	// Once the queue is done every variant is in the output, and nothing reloaded again.
	r.s.hub.mu.Lock()
	changed := r.s.hub.changed
	r.s.hub.mu.Unlock()
	builds := r.s.Builds()
	idle, stop := context.WithTimeout(context.Background(), 2*time.Minute)
	defer stop()
	if err := r.s.photos.Idle(idle); err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`/_anh/(anh\.(\d+)\.[0-9a-f]+\.(?:webp|jpg))`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, n := range names {
		seen[n[1]] = true
	}
	if len(seen) != 9 { // WebP and JPEG at 360, 720, 1080 and 1600, and the 1200-px share JPEG
		t.Errorf("the page names %d variants, want 9: %v", len(seen), seen)
	}
	for name := range seen {
		f, err := os.Open(filepath.Join(r.s.out.Dir(), build.ImagesDir, name))
		if err != nil {
			t.Errorf("after the queue: %v", err)
			continue
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if w := regexp.MustCompile(`\.(\d+)\.`).FindStringSubmatch(name)[1]; err == nil && w != strconv.Itoa(cfg.Width) {
			t.Errorf("%s is %d wide", name, cfg.Width)
		}
	}
	if r.s.photos.Pending() != 0 || r.s.photos.Encoded() != int64(len(seen)) {
		t.Errorf("queue: %d pending, %d encoded; want 0, %d", r.s.photos.Pending(), r.s.photos.Encoded(), len(seen))
	}
	r.s.hub.mu.Lock()
	again := r.s.hub.changed != changed
	r.s.hub.mu.Unlock()
	if again || r.s.Builds() != builds {
		t.Error("the queue's work made the preview rebuild or reload")
	}

	// The next build finds every variant in the cache: it encodes and queues nothing.
	rep, err = r.s.Rebuild(context.Background(), nil)
	if err != nil || rep.ImagesProcessed != 0 || rep.ImagesReused != 1 || r.s.photos.Pending() != 0 {
		t.Errorf("rebuild: processed %d, reused %d, %d queued, %v; want 0, 1, 0", rep.ImagesProcessed, rep.ImagesReused, r.s.photos.Pending(), err)
	}
}

func waitEvent(t *testing.T, events <-chan string, want string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e := <-events:
			if e == want {
				return
			}
		case <-timeout:
			t.Fatalf("no %q event", want)
		}
	}
}

// gatedFolder holds the queue's writes into the preview's folder until open is closed.
type gatedFolder struct {
	*publish.Folder
	open chan struct{}
	stop <-chan struct{} // the session ends: the queue must stop
}

func (g *gatedFolder) Put(f publish.File) error {
	select {
	case <-g.open:
		return g.Folder.Put(f)
	case <-g.stop:
		return context.Canceled
	}
}
