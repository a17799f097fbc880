package build

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// queueSite is a site with n page bundles, each with its own generated w×h photo as
// its lead image.
func queueSite(t *testing.T, n, w, h int) string {
	t.Helper()
	files := map[string]string{
		"config.toml": "baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng\"\n[search]\ndisabled = true\n",
	}
	for i := range n {
		jpg, err := corpus.PhotoJPEG(int64(40+i), 0, w, h)
		if err != nil {
			t.Fatal(err)
		}
		dir := fmt.Sprintf("content/tin-tuc/anh-%d/", i)
		files[dir+"anh.jpg"] = string(jpg)
		files[dir+"index.md"] = fmt.Sprintf("---\ntitle: \"Hội nghị số %d\"\ndate: 2024-05-0%d\nimage: anh.jpg\nimage_alt: \"Toàn cảnh\"\n---\n\nNội dung.\n", i, i+1)
	}
	return sitetest.NewSite(t, files)
}

// queueBuild builds site as the preview does, its variants queued on q, its files
// published into out.
func queueBuild(t *testing.T, site string, cache *MemoryCache, q *PhotoQueue, out publish.Sink) Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{SiteDir: site, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), NoSearch: true,
		Preview: true, Cache: cache, Images: q, Output: func(context.Context) (publish.Sink, error) { return out, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// gatedPutter records the order of the files put, and holds the first one until open
// is closed.
type gatedPutter struct {
	mu      sync.Mutex
	rels    []string
	first   chan struct{} // closed when the first Put arrives
	open    chan struct{}
	started sync.Once
}

func (g *gatedPutter) Put(f publish.File) error {
	g.started.Do(func() { close(g.first) })
	<-g.open
	g.mu.Lock()
	g.rels = append(g.rels, f.Rel)
	g.mu.Unlock()
	return nil
}

type nopSink struct{}

func (nopSink) Add(publish.File) error         { return nil }
func (nopSink) Commit() (publish.Stats, error) { return publish.Stats{}, nil }
func (nopSink) Abort()                         {}

// The queue encodes the newest build's jobs first, a job a request waits for before
// the others, and each variant once however many builds queue it.
func TestPhotoQueueOrderAndDeduplication(t *testing.T) {
	site := queueSite(t, 3, 800, 600) // 360 and 720 as WebP and JPEG, the share JPEG at 800: 5 each
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	put := &gatedPutter{first: make(chan struct{}), open: make(chan struct{})}
	q := NewPhotoQueue(ctx, put, t.Logf)
	defer q.Close()
	cache := NewMemoryCache()
	if rep := queueBuild(t, site, cache, q, nopSink{}); rep.ImagesProcessed != 3 {
		t.Fatalf("ImagesProcessed = %d, want 3", rep.ImagesProcessed)
	}
	<-put.first // the worker holds the first variant of its first job
	if n := q.Pending(); n != 15 {
		t.Fatalf("%d variants pending, want 15", n)
	}
	// A second build before any variant is written queues nothing more.
	if rep := queueBuild(t, site, cache, q, nopSink{}); rep.ImagesProcessed != 3 || q.Pending() != 15 {
		t.Fatalf("second build: processed %d, %d pending; want 3 (still queued), 15", rep.ImagesProcessed, q.Pending())
	}
	q.mu.Lock()
	if len(q.jobs) != 2 {
		q.mu.Unlock()
		t.Fatalf("%d jobs waiting, want 2", len(q.jobs))
	}
	later, last := q.jobs[0], q.jobs[1]
	q.mu.Unlock()
	waited := make(chan struct{})
	go func() {
		q.Wait(ctx, last.names[len(last.names)-1]) // the widest variant of the last job
		close(waited)
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		moved := q.jobs[0] == last
		q.mu.Unlock()
		if moved {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the waited-for job was not moved to the front")
		}
	}
	close(put.open)
	<-waited
	put.mu.Lock()
	written := slices.Contains(put.rels, ImagesDir+"/"+last.names[len(last.names)-1])
	put.mu.Unlock()
	if !written {
		t.Error("Wait returned before the variant was written")
	}
	if err := q.Idle(ctx); err != nil {
		t.Fatal(err)
	}
	if len(put.rels) != 15 {
		t.Errorf("%d variants written, want each of the 15 once: %v", len(put.rels), put.rels)
	}
	pos := func(name string) int { return slices.Index(put.rels, ImagesDir+"/"+name) }
	for _, a := range last.names {
		for _, b := range later.names {
			if pos(a) > pos(b) {
				t.Errorf("%s (waited for) was written after %s", a, b)
			}
		}
	}
	// WebP narrowest first within a job, then the fallbacks.
	want := []string{"360.webp", "720.webp", "360.jpg", "720.jpg", "800.jpg"}
	for i, n := range later.names {
		if m := regexp.MustCompile(`\.(\d+)\.[0-9a-f]+\.(\w+)$`).FindStringSubmatch(n); i >= len(want) || m[1]+"."+m[2] != want[i] {
			t.Errorf("variant %d of a job is %s, want the order %v", i, n, want)
		}
	}
}

// Stopping the queue in the middle of a job leaves no goroutine of it and no half-written
// file: every variant in the output is whole.
func TestPhotoQueueStopsCleanly(t *testing.T) {
	site := queueSite(t, 2, 2000, 1500)
	out, err := publish.TempFolder("portal-queue-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Remove()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q := NewPhotoQueue(ctx, out, t.Logf)
	if err := out.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	rep := queueBuild(t, site, NewMemoryCache(), q, out)
	if rep.ImagesProcessed != 2 {
		t.Fatalf("ImagesProcessed = %d, want 2", rep.ImagesProcessed)
	}
	for deadline := time.Now().Add(2 * time.Minute); q.Encoded() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no variant encoded within 2 minutes")
		}
	}
	cancel()
	q.Close()
	if n := q.Pending(); n != 0 {
		t.Errorf("%d variants still pending after Close: their waiters would hang", n)
	}
	if q.Encoded() == 18 {
		t.Log("the queue finished before it was stopped: the test did not stop it mid-job")
	}
	q.Wait(context.Background(), "anh.1600.0000000000.webp") // returns at once once stopped
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for _, fn := range []string{"build.(*PhotoQueue)", "photo.ProcessEach", "photo.encode"} {
		if strings.Contains(stacks, fn) {
			t.Errorf("a goroutine in %s is left after Close:\n%s", fn, stacks)
		}
	}
	var files int
	err = filepath.WalkDir(out.Dir(), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".portal-tmp") {
			t.Errorf("half-written file left: %s", p)
			return nil
		}
		if filepath.Base(filepath.Dir(p)) != ImagesDir {
			return nil
		}
		files++
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		m, _, err := image.Decode(f)
		if err != nil {
			t.Errorf("%s does not decode: %v", p, err)
			return nil
		}
		if w := regexp.MustCompile(`\.(\d+)\.`).FindStringSubmatch(filepath.Base(p))[1]; w != strconv.Itoa(m.Bounds().Dx()) {
			t.Errorf("%s is %d wide", p, m.Bounds().Dx())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if int64(files) != q.Encoded() {
		t.Errorf("%d variants in the output, %d encoded", files, q.Encoded())
	}
}

// A variant's name promises its bytes: the queue, encoding in its own order, writes
// the very bytes a build that encodes first does.
func TestPhotoQueueWritesTheBytesOfEncodeFirst(t *testing.T) {
	site := queueSite(t, 1, 1300, 975) // 360, 720, 1080 as WebP and JPEG, the share JPEG at 1200
	first := map[string][]byte{}
	rep, err := Run(context.Background(), Options{SiteDir: site, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), NoSearch: true, Preview: true,
		Output: func(context.Context) (publish.Sink, error) { return &keepImages{m: first}, nil }})
	if err != nil || rep.ImagesProcessed != 1 {
		t.Fatalf("encode first: processed %d, %v", rep.ImagesProcessed, err)
	}
	out, err := publish.TempFolder("portal-queue-bytes-")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Remove()
	q := NewPhotoQueue(context.Background(), out, t.Logf)
	defer q.Close()
	queueBuild(t, site, NewMemoryCache(), q, nopSink{})
	if err := q.Idle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(first) != 7 {
		t.Fatalf("%d variants encoded first, want 7", len(first))
	}
	for rel, want := range first {
		got, err := os.ReadFile(filepath.Join(out.Dir(), filepath.FromSlash(rel)))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: the queue wrote %d bytes (%v), encoding first %d, not the same", rel, len(got), err, len(want))
		}
	}
}

// keepImages is a Sink that keeps the variants it is given in m.
type keepImages struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (k *keepImages) Add(f publish.File) error {
	if !strings.HasPrefix(f.Rel, ImagesDir+"/") {
		return nil
	}
	data := f.Data
	if f.SrcPath != "" {
		b, err := os.ReadFile(f.SrcPath)
		if err != nil {
			return err
		}
		data = b
	}
	k.mu.Lock()
	k.m[f.Rel] = data
	k.mu.Unlock()
	return nil
}
func (*keepImages) Commit() (publish.Stats, error) { return publish.Stats{}, nil }
func (*keepImages) Abort()                         {}
