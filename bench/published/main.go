// Command published measures what `portal serve --watch` promises a newsroom: the time from
// saving an article to the first response that contains the change, for the article's page
// and for the search answer (which switch together with the lists, feeds and sitemap).
//
//	go run ./bench/published -base http://127.0.0.1:1313 -page /tin-tuc/x/ -file SITE/content/tin-tuc/x.md -n 20
//
// With -no-search only the page is waited for: `hugo server --renderToDisk` on the same
// content, for the side-by-side table (bench/watch.sh).
//
// Each save appends a paragraph with a new word to the article (written to a temporary file
// and renamed over it, as editors save); the page is then fetched every -poll until it
// shows the word, and the search API until it finds it. Saves are -gap apart. The file is
// restored at the end (and the server publishes it once more).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	base := flag.String("base", "", "the server: http://127.0.0.1:1313")
	page := flag.String("page", "", "the article's path: /tin-tuc/x/")
	file := flag.String("file", "", "the article's Markdown file")
	n := flag.Int("n", 20, "number of saves")
	gap := flag.Duration("gap", time.Second, "pause between saves")
	poll := flag.Duration("poll", 2*time.Millisecond, "pause between two requests while waiting")
	timeout := flag.Duration("timeout", 120*time.Second, "longest wait for one change")
	noSearch := flag.Bool("no-search", false, "time the page only (a server without /api/search, such as hugo server)")
	flag.Parse()
	if *base == "" || *page == "" || *file == "" {
		fmt.Fprintln(os.Stderr, "published: -base, -page and -file are required")
		os.Exit(2)
	}
	pages, searches, slowest, err := run(strings.TrimSuffix(*base, "/"), *page, *file, *n, *gap, *poll, *timeout, !*noSearch)
	if err != nil {
		fmt.Fprintln(os.Stderr, "published:", err)
		os.Exit(1)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("saves\t%d\n", len(pages))
	for _, s := range []struct {
		name string
		d    []time.Duration
	}{{"page", pages}, {"search", searches}} {
		if len(s.d) == 0 {
			continue
		}
		slices.Sort(s.d)
		fmt.Printf("%s_p50_ms\t%.1f\n%s_p90_ms\t%.1f\n%s_max_ms\t%.1f\n", s.name, ms(s.d[len(s.d)/2]), s.name, ms(s.d[len(s.d)*9/10]), s.name, ms(s.d[len(s.d)-1]))
	}
	fmt.Printf("slowest_request_ms\t%.1f\n", ms(slowest))
}

// word is the i-th marker: letters only, so that it is one search term.
func word(i int) string {
	var b strings.Builder
	b.WriteString("moctho")
	for k := 0; k < 4; k++ {
		b.WriteByte(byte('a' + i%26))
		i /= 26
	}
	return b.String()
}

// run also returns the longest time one request took (a reader waiting while a change is
// switched in).
func run(base, page, file string, n int, gap, poll, timeout time.Duration, search bool) (pages, searches []time.Duration, slowest time.Duration, err error) {
	orig, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, 0, err
	}
	defer save(file, orig)
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(u string) (string, error) {
		t0 := time.Now()
		defer func() { slowest = max(slowest, time.Since(t0)) }()
		resp, err := client.Get(u)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	stamp := time.Now().Unix() % 400000 // new words each run
	for i := range n {
		w := word(int(stamp) + i)
		start := time.Now()
		if err := save(file, append(append([]byte{}, orig...), []byte("\n\nĐoạn đo thời gian "+w+".\n")...)); err != nil {
			return nil, nil, 0, err
		}
		var gotPage, gotSearch time.Duration
		if !search {
			gotSearch = -1 // not waited for
		}
		for gotPage == 0 || gotSearch == 0 {
			if time.Since(start) > timeout {
				return nil, nil, 0, fmt.Errorf("save %d: not served after %s", i+1, timeout)
			}
			if gotPage == 0 {
				if body, err := get(base + page); err == nil && strings.Contains(body, w) {
					gotPage = time.Since(start)
				}
			}
			if gotSearch == 0 {
				body, err := get(base + "/api/search?q=" + url.QueryEscape(w))
				var res struct{ Total int }
				if err == nil && json.Unmarshal([]byte(body), &res) == nil && res.Total > 0 {
					gotSearch = time.Since(start)
				}
			}
			if gotPage == 0 || gotSearch == 0 {
				time.Sleep(poll)
			}
		}
		pages = append(pages, gotPage)
		if search {
			searches = append(searches, gotSearch)
		}
		time.Sleep(gap)
	}
	return pages, searches, slowest, nil
}

// save replaces file with data the way editors do: a temporary file renamed over it.
func save(file string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(file), "."+filepath.Base(file)+".bench-tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}
