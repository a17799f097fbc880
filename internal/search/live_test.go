package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/message"
)

func TestLiveSwapsUnderLoad(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	path := filepath.Join(root, "public", "_search")
	docs := fixtureDocs()
	if _, err := NewMemo().Update(ctx, path, docs); err != nil { // the first: nothing to replace
		t.Fatal(err)
	}
	var logs strings.Builder
	var logMu sync.Mutex
	l := NewLive(path, func(f string, a ...any) {
		logMu.Lock()
		fmt.Fprintf(&logs, f+"\n", a...)
		logMu.Unlock()
	})
	defer l.Close()
	gen1 := l.Status().Generation
	if gen1 == "" {
		t.Fatalf("Live did not open the index: %v", l.Status().Err)
	}

	// Searchers run while three new generations are swapped in.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searches, failures atomic.Int64
	var firstErr atomic.Value
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			queries := []string{"ha tinh", "nghị định 64", "an ninh", "các"}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := l.Search(ctx, mustQuery(Request{Query: queries[(i+w)%len(queries)]}))
				searches.Add(1)
				if err != nil || res.Total == 0 {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%q: total %d err %v", queries[(i+w)%len(queries)], res.Total, err))
				}
			}
		}(w)
	}

	// Update swaps each generation in under the searches and removes the replaced
	// one, whose files vanish while searches may still have them open.
	for g := 2; g <= 4; g++ {
		next := append(fixtureDocs(), Document{
			URL:   fmt.Sprintf("/tin-tuc/the-he-%d/", g),
			Title: fmt.Sprintf("Bài viết thế hệ %d về chuyển đổi số", g),
			Body:  "Chuyển đổi số trong cơ quan nhà nước.",
			Date:  vnDate(2025, 1, g),
		})
		st, err := NewMemo().Update(ctx, path, next)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Incremental {
			t.Errorf("generation %d: Update did not reuse the index in place: %s", g, st.FullReason)
		}
		if g%2 == 0 {
			if err := l.Reload(); err != nil {
				t.Fatalf("Reload: %v", err)
			}
		} else {
			time.Sleep(checkEvery + 200*time.Millisecond) // picked up by a search
		}
		res, err := l.Search(ctx, mustQuery(Request{Query: fmt.Sprintf("thế hệ %d", g)}))
		if err != nil || len(res.Hits) != 1 || res.Hits[0].URL != fmt.Sprintf("/tin-tuc/the-he-%d/", g) {
			t.Fatalf("generation %d not served: %v %v", g, urls(res), err)
		}
	}
	if left, _ := filepath.Glob(path + ".*"); len(left) != 0 {
		t.Errorf("Update left %v beside the index", left)
	}
	close(stop)
	wg.Wait()
	if f := failures.Load(); f != 0 {
		t.Fatalf("%d of %d searches failed during swaps; first: %v", f, searches.Load(), firstErr.Load())
	}
	if searches.Load() < 20 {
		t.Errorf("only %d searches ran", searches.Load())
	}
	if st := l.Status(); st.Generation == gen1 || st.Err != nil || st.Docs != uint64(len(docs)+1) {
		t.Errorf("status after swaps = %+v", st)
	}
	if !strings.Contains(logs.String(), "dùng chỉ mục thế hệ") {
		t.Errorf("swaps not logged: %s", logs.String())
	}

	// A damaged new generation: the previous one stays in service.
	if err := os.Remove(filepath.Join(path, manifestFile)); err != nil {
		t.Fatal(err)
	}
	if err := l.Reload(); err == nil || !strings.Contains(message.En.Error(err), "incomplete") {
		t.Errorf("Reload of an index without manifest: %v", err)
	}
	if _, err := l.Search(ctx, mustQuery(Request{Query: "ha tinh"})); err != nil {
		t.Errorf("previous generation not kept: %v", err)
	}
	if l.Status().Err == nil {
		t.Errorf("Status does not report the problem")
	}

	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Search(ctx, mustQuery(Request{Query: "ha tinh"})); !errors.Is(err, ErrUnavailable) {
		t.Errorf("search after Close: %v", err)
	}
}

func TestLiveUnavailable(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "_search")
	var logged []string
	l := NewLive(path, func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) })
	defer l.Close()
	_, err := l.Search(context.Background(), mustQuery(Request{Query: "hà tĩnh"}))
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(message.En.Error(err), "no search index") {
		t.Fatalf("missing index: %v", err)
	}
	if len(logged) == 0 {
		t.Errorf("problem not logged")
	}
	// A half-written index (no manifest) is unavailable, not empty.
	if _, err := Build(context.Background(), path, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(path, manifestFile))
	l.Reload()
	if _, err := l.Search(context.Background(), mustQuery(Request{Query: "hà tĩnh"})); !errors.Is(err, ErrUnavailable) || !strings.Contains(message.En.Error(err), "incomplete") {
		t.Fatalf("half-written index: %v", err)
	}
	// Once the build completes, the next check serves it.
	os.RemoveAll(path)
	if _, err := Build(context.Background(), path, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if res, err := l.Search(context.Background(), mustQuery(Request{Query: "hà tĩnh"})); err != nil || res.Total == 0 {
		t.Fatalf("after build: %v %v", res.Total, err)
	}
}
