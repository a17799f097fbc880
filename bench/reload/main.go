// Command reload measures what an editor waits for in a live-reloading preview server:
// the time from saving an article to the browser having loaded the page again. It drives
// headless Chromium (Debian's chromium package), so it measures `portal preview` (Server-Sent
// Events) and `hugo server` (WebSocket livereload) the same way, end to end: file watcher,
// rebuild, reload message, and the new page load.
//
//	go run ./bench/reload -url http://127.0.0.1:1313/tin-tuc/x/ -file SITE/content/tin-tuc/x.md -n 20
//
// bench/run.sh starts both servers on the same content and runs it against each. Each save
// appends a line to the article; the file is restored at the end. Saves are -gap apart (an
// editor does not save many times a second; the pause also lets background work, such as
// portal's search index update, run as it would).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
)

func main() {
	url := flag.String("url", "", "the article's page on the preview server")
	file := flag.String("file", "", "the article's Markdown file")
	n := flag.Int("n", 20, "number of saves")
	gap := flag.Duration("gap", time.Second, "pause between saves")
	timeout := flag.Duration("timeout", 60*time.Second, "longest wait for one reload")
	flag.Parse()
	if *url == "" || *file == "" {
		fmt.Fprintln(os.Stderr, "reload: -url and -file are required")
		os.Exit(2)
	}
	took, err := run(*url, *file, *n, *gap, *timeout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reload:", err)
		os.Exit(1)
	}
	slices.Sort(took)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("saves\t%d\np50_ms\t%.1f\np90_ms\t%.1f\nmax_ms\t%.1f\n", len(took),
		ms(took[len(took)/2]), ms(took[len(took)*9/10]), ms(took[len(took)-1]))
}

func run(url, file string, n int, gap, timeout time.Duration) ([]time.Duration, error) {
	orig, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	defer os.WriteFile(file, orig, 0o644)
	chromium := browsertest.Path()
	if chromium == "" {
		return nil, errors.New("Chromium is not installed (apt-get install chromium)")
	}
	profile, err := os.MkdirTemp("", "portal-reload-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), browsertest.Options(chromium, profile)...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()

	loaded := make(chan time.Time, 16)
	chromedp.ListenTarget(ctx, func(ev any) {
		if _, ok := ev.(*page.EventLoadEventFired); ok {
			select {
			case loaded <- time.Now():
			default:
			}
		}
	})
	if err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	time.Sleep(gap) // let the live-reload connection open
	for len(loaded) > 0 {
		<-loaded
	}
	var took []time.Duration
	for i := range n {
		body := append(append([]byte{}, orig...), fmt.Sprintf("\n\nĐoạn sửa thứ %d.\n", i+1)...)
		start := time.Now()
		if err := os.WriteFile(file, body, 0o644); err != nil {
			return nil, err
		}
		select {
		case at := <-loaded:
			took = append(took, at.Sub(start))
		case <-time.After(timeout):
			return nil, fmt.Errorf("save %d: the page did not reload within %s", i+1, timeout)
		}
		time.Sleep(gap)
		for len(loaded) > 0 { // a second reload of the same save (some servers send two)
			<-loaded
		}
	}
	return took, nil
}
