package preview

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
)

// BenchmarkNewPhotoToReload1000 measures what an editor waits for after adding a camera
// photo (issue 16): a 4000×3000 JPEG is copied into a new article's folder, then the
// article that shows it is saved; the time runs from that save to the "reload" event on
// the live-reload stream (fsnotify, debounce, the rebuild of a 1,000-article site; the
// photo's variants are queued, not waited for), and on to the moment its 720-px WebP
// (what a phone at DPR 2 fetches) has answered over HTTP ("img-"; the request waits for
// the variant if it is still queued). Each iteration uses another photo (nothing
// cached), after the previous one's queue is done. Run with -benchtime=3x; it reports
// p50 and max in ms, and "cpu-": the process's CPU time from the save to the reload (all
// its goroutines: an upper bound of the reload's work).
//
// BenchmarkPhotoInArticleToReload1000 is the same with the photo copied into static/anh/
// and shown in the body of an existing article: no page is added, so the rebuild is not
// the re-render of every list a new article means.
func BenchmarkNewPhotoToReload1000(b *testing.B)       { benchPhoto(b, true) }
func BenchmarkPhotoInArticleToReload1000(b *testing.B) { benchPhoto(b, false) }

func benchPhoto(b *testing.B, newArticle bool) {
	photos := make([][]byte, b.N)
	for i := range photos {
		jpg, err := corpus.PhotoJPEG(int64(100+i), 0, 4000, 3000)
		if err != nil {
			b.Fatal(err)
		}
		photos[i] = jpg
	}
	bs := startBench(b, 1000)
	existing, _ := filepath.Glob(filepath.Join(bs.dir, "content", "tin-tuc", "*.md"))
	slices.Sort(existing)
	var took, img, cpu []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var photoFile, article, url string
		var md []byte
		if newArticle {
			folder := filepath.Join(bs.dir, "content", "tin-tuc", fmt.Sprintf("anh-moi-%d", i))
			photoFile, article, url = filepath.Join(folder, "anh.jpg"), filepath.Join(folder, "index.md"), fmt.Sprintf("/tin-tuc/anh-moi-%d/", i)
			md = fmt.Appendf(nil, "---\ntitle: \"Hội nghị có ảnh số %d\"\ndate: 2026-10-01\nimage: anh.jpg\nimage_alt: \"Toàn cảnh hội nghị\"\n---\n\nNội dung.\n", i)
		} else {
			photoFile = filepath.Join(bs.dir, "static", "anh", fmt.Sprintf("moi-%d.jpg", i))
			article = existing[len(existing)/3+i]
			url = "/tin-tuc/" + strings.TrimSuffix(filepath.Base(article), ".md") + "/"
			orig, err := os.ReadFile(article)
			if err != nil {
				b.Fatal(err)
			}
			md = fmt.Appendf(orig, "\n![Toàn cảnh hội nghị](/anh/moi-%d.jpg \"Ảnh: Văn Dũng\")\n", i)
		}
		if err := os.MkdirAll(filepath.Dir(photoFile), 0o755); err != nil {
			b.Fatal(err)
		}
		builds := bs.s.Builds()
		if err := os.WriteFile(photoFile, photos[i], 0o644); err != nil {
			b.Fatal(err)
		}
		bs.settle(b, builds) // the rebuild the copied photo starts (nothing shows it yet)
		variant := regexp.MustCompile(`(/_anh/` + strings.TrimSuffix(filepath.Base(photoFile), ".jpg") + `\.720\.[0-9a-f]+\.webp) 720w`)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		if err := os.WriteFile(article, md, 0o644); err != nil {
			b.Fatal(err)
		}
		bs.waitReload(b)
		took = append(took, time.Since(start))
		cpu = append(cpu, cpuTime()-cpu0)
		page := get(b, bs.url+url)
		m := variant.FindSubmatch(page)
		if m == nil {
			b.Fatalf("%s names no 720-px WebP of %s:\n%s", url, photoFile, page)
		}
		get(b, bs.url+string(m[1]))
		img = append(img, time.Since(start))
		b.StopTimer()
		if err := bs.s.photos.Idle(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	reportLatency(b, "", took)
	reportLatency(b, "img-", img)
	reportLatency(b, "cpu-", cpu)
}

// settle waits until the session has finished a build after the first builds, then
// until no build has started for a second: the rebuilds a copied photo starts (nothing
// shows it yet; static/ photos change every page's image key) are over.
func (bs *benchSession) settle(b *testing.B, builds int64) {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for bs.s.Builds() <= builds {
		if time.Now().After(deadline) {
			b.Fatal("the copied photo started no rebuild")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for n := bs.s.Builds(); ; {
		bs.drain(time.Second)
		bs.s.mu.Lock() // no build running
		m := bs.s.Builds()
		bs.s.mu.Unlock()
		if m == n {
			return
		}
		n = m
	}
}

// cpuTime is the CPU time (user and system) the process has used: on a machine shared
// with other work, it says what a latency would be on an idle one better than the wall.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// get returns the body of url, which must answer 200.
func get(b *testing.B, url string) []byte {
	b.Helper()
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d, %v", url, resp.StatusCode, err)
	}
	return body
}
