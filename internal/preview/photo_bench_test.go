package preview

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkNewPhotoToReload1000 measures what an editor waits for after adding a camera
// photo (issue 16): a 4000×3000 JPEG is copied into a new article's folder, then the
// article that shows it is saved; the time runs from that save to the "reload" event on
// the live-reload stream (fsnotify, debounce, the rebuild of a 1,000-article site with
// the photo's ten variants, the reload). Each iteration uses another photo (nothing
// cached). Run with -benchtime=3x; it reports p50 and max in ms.
func BenchmarkNewPhotoToReload1000(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	photos := make([][]byte, b.N)
	for i := range photos {
		jpg, err := corpus.PhotoJPEG(int64(100+i), 0, 4000, 3000)
		if err != nil {
			b.Fatal(err)
		}
		photos[i] = jpg
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := New(ctx, Options{SiteDir: dir, Drafts: true,
		Now: time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location())})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if s.hub.failure() != nil {
		b.Fatalf("first build failed: %s", s.hub.failure().data)
	}
	go s.Watch(ctx)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = s.Handler(srv.Listener)
	srv.Start()
	defer srv.Close()
	resp, err := http.Get(srv.URL + eventsURL)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	for deadline := time.Now().Add(10 * time.Minute); s.indexed.Load() == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the first search index was not built within 10 minutes")
		}
	}
	drain := func(quiet time.Duration) {
		for {
			select {
			case <-events:
			case <-time.After(quiet):
				return
			}
		}
	}
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		folder := filepath.Join(dir, "content", "tin-tuc", fmt.Sprintf("anh-moi-%d", i))
		if err := os.MkdirAll(folder, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(folder, "anh.jpg"), photos[i], 0o644); err != nil {
			b.Fatal(err)
		}
		drain(1500 * time.Millisecond) // the rebuild the copied photo starts (nothing shows it yet)
		md := fmt.Sprintf("---\ntitle: \"Hội nghị có ảnh số %d\"\ndate: 2026-10-01\nimage: anh.jpg\nimage_alt: \"Toàn cảnh hội nghị\"\n---\n\nNội dung.\n", i)
		b.StartTimer()
		start := time.Now()
		if err := os.WriteFile(filepath.Join(folder, "index.md"), []byte(md), 0o644); err != nil {
			b.Fatal(err)
		}
	wait:
		for {
			select {
			case e := <-events:
				if e == "reload" {
					break wait
				}
				if e == "build-error" || e == "held-back" {
					b.Fatalf("rebuild failed: %s", e)
				}
			case <-time.After(60 * time.Second):
				b.Fatal("no reload event within 60 s")
			}
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}
