// Command loadgen sends mixed traffic to a running `portal serve` on loopback and
// reports throughput, latency and errors:
//
//	go run ./bench/loadgen -base http://127.0.0.1:1313/
//
// 70% of requests fetch pages listed in /sitemap.xml, 30% search (half through
// /api/search, half through the /tim-kiem/ results page) with Vietnamese queries typed
// with and without diacritics, some with province, category, year, sort or page
// filters. DURATION (default 60s) and CONCURRENCY (default 32) come from the
// environment or the flags. Any answer other than 2xx or 503 is an error; 503s (search
// overloaded) are reported separately. The exit status is 1 when there were errors.
//
// With -big PATH (env BIG), -big-share percent of the requests (env BIG_SHARE, default
// 10) fetch that one large file instead, asking for gzip and reading the body as sent
// (not decompressed, so that the client's CPU stays out of the server's way); the line
// "others" then gives the latency of every other request, to compare with a run without
// -big.
//
// -search-share (env SEARCH_SHARE, default 30) sets the percent of requests that
// search; 100 sends only searches, so that the CPU `portal serve` used divided by the
// requests is the CPU of one search (bench/load.sh prints both).
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// queriesText is queries.txt: typical citizen searches, with and without diacritics.
//
//go:embed queries.txt
var queriesText string

// queries are the lines of queriesText that are neither empty nor comments.
var queries = func() []string {
	var qs []string
	for _, l := range strings.Split(queriesText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			qs = append(qs, l)
		}
	}
	return qs
}()

type options struct {
	base        *url.URL
	duration    time.Duration
	concurrency int
	seed        uint64
	big         string // path of a large file, or ""
	bigShare    int    // percent of requests for it
	searchShare int    // percent of the other requests that search
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func envDefault(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func run() error {
	base := flag.String("base", "http://127.0.0.1:1313/", "the server to load (loopback only)")
	dur := flag.String("duration", envDefault("DURATION", "60s"), "how long to send traffic (env DURATION)")
	conc := flag.String("concurrency", envDefault("CONCURRENCY", "32"), "concurrent clients (env CONCURRENCY)")
	seed := flag.Uint64("seed", 1, "seed of the request mix")
	wait := flag.Duration("wait", 30*time.Second, "how long to wait for the server to answer before starting")
	big := flag.String("big", os.Getenv("BIG"), "path of a large file to mix in, e.g. /du-lieu/lon.json (env BIG)")
	bigShare := flag.String("big-share", envDefault("BIG_SHARE", "10"), "percent of requests for the -big file (env BIG_SHARE)")
	searchShare := flag.String("search-share", envDefault("SEARCH_SHARE", "30"), "percent of requests that search (env SEARCH_SHARE)")
	flag.Parse()

	var o options
	var err error
	if o.base, err = url.Parse(*base); err != nil || o.base.Host == "" {
		return fmt.Errorf("-base %q: want a URL such as http://127.0.0.1:1313/", *base)
	}
	if !loopback(o.base.Hostname()) {
		return fmt.Errorf("-base %q: loadgen only loads servers on this machine (127.0.0.1, ::1, localhost)", *base)
	}
	if o.duration, err = time.ParseDuration(*dur); err != nil || o.duration <= 0 || o.duration > time.Hour {
		return fmt.Errorf("duration %q: want a Go duration between 1s and 1h, such as 60s", *dur)
	}
	if o.concurrency, err = strconv.Atoi(*conc); err != nil || o.concurrency < 1 || o.concurrency > 1024 {
		return fmt.Errorf("concurrency %q: want a number from 1 to 1024", *conc)
	}
	o.seed = *seed
	if o.big = *big; o.big != "" && !strings.HasPrefix(o.big, "/") {
		return fmt.Errorf("-big %q: want a path such as /du-lieu/lon.json", o.big)
	}
	if o.bigShare, err = strconv.Atoi(*bigShare); err != nil || o.bigShare < 0 || o.bigShare > 100 {
		return fmt.Errorf("big-share %q: want a percentage from 0 to 100", *bigShare)
	}
	if o.searchShare, err = strconv.Atoi(*searchShare); err != nil || o.searchShare < 0 || o.searchShare > 100 {
		return fmt.Errorf("search-share %q: want a percentage from 0 to 100", *searchShare)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	client := &http.Client{
		Transport: &http.Transport{MaxIdleConns: o.concurrency * 2, MaxIdleConnsPerHost: o.concurrency * 2, IdleConnTimeout: time.Minute},
		Timeout:   30 * time.Second,
	}
	if err := waitReady(ctx, client, o.base, *wait); err != nil {
		return err
	}
	pages, err := sitemapPaths(ctx, client, o.base)
	if err != nil {
		return err
	}
	provinces, categories, err := facetSlugs(ctx, client, o.base)
	if err != nil {
		return err
	}
	fmt.Printf("loadgen: %s, %d clients, %s; %d pages from the sitemap, %d provinces and %d categories for filters\n",
		o.base, o.concurrency, o.duration, len(pages), len(provinces), len(categories))
	mix := requestMix{pages: pages, provinces: provinces, categories: categories, searchShare: o.searchShare}
	if o.big != "" {
		size, enc, err := probeBig(ctx, client, o.base, o.big)
		if err != nil {
			return err
		}
		fmt.Printf("loadgen: %d%% of requests fetch %s (%.1f MB sent, Content-Encoding %q)\n", o.bigShare, o.big, float64(size)/1e6, enc)
		mix.big, mix.bigShare = o.big, o.bigShare
	}

	st := load(ctx, client, o, mix)
	st.print(os.Stdout, o.duration)
	if st.total.errors > 0 {
		return fmt.Errorf("%d errors (answers other than 2xx or 503, or failed connections)", st.total.errors)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// waitReady polls the home page until it answers or wait passes.
func waitReady(ctx context.Context, c *http.Client, base *url.URL, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base.String(), nil)
		res, err := c.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s does not answer (is `portal serve` running?): %v", base, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func getBody(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", u, res.StatusCode)
	}
	return b, nil
}

// sitemapPaths returns the paths of the sitemap's URLs (the host is ignored: the
// sitemap names the site's public address).
func sitemapPaths(ctx context.Context, c *http.Client, base *url.URL) ([]string, error) {
	paths, err := sitemapFile(ctx, c, base, base.JoinPath("sitemap.xml").String(), true)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, errors.New("sitemap.xml lists no pages")
	}
	return paths, nil
}

// sitemapFile returns the paths a sitemap lists; a sitemap index (large sites) is followed
// one level down when index is true.
func sitemapFile(ctx context.Context, c *http.Client, base *url.URL, loc string, index bool) ([]string, error) {
	b, err := getBody(ctx, c, loc)
	if err != nil {
		return nil, fmt.Errorf("reading the sitemap %s: %w", loc, err)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
		Maps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(b, &sm); err != nil {
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	var paths []string
	for _, u := range sm.URLs {
		if p, err := url.Parse(u.Loc); err == nil && p.Path != "" {
			paths = append(paths, p.EscapedPath())
		}
	}
	for _, m := range sm.Maps {
		p, err := url.Parse(m.Loc)
		if err != nil || !index {
			continue
		}
		more, err := sitemapFile(ctx, c, base, base.JoinPath(p.Path).String(), false)
		if err != nil {
			return nil, err
		}
		paths = append(paths, more...)
	}
	return paths, nil
}

// facetSlugs asks the API for the facets of all articles (empty query).
func facetSlugs(ctx context.Context, c *http.Client, base *url.URL) (provinces, categories []string, err error) {
	b, err := getBody(ctx, c, base.JoinPath("api/search").String()+"?q=")
	if err != nil {
		return nil, nil, fmt.Errorf("reading the search facets: %w", err)
	}
	var res struct {
		Facets struct {
			Provinces, Categories []struct{ Slug string }
		}
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, nil, fmt.Errorf("/api/search: %w", err)
	}
	for _, f := range res.Facets.Provinces {
		provinces = append(provinces, f.Slug)
	}
	for _, f := range res.Facets.Categories {
		categories = append(categories, f.Slug)
	}
	return provinces, categories, nil
}

// probeBig fetches the large file once as the load will, and returns the bytes sent and
// their Content-Encoding.
func probeBig(ctx context.Context, c *http.Client, base *url.URL, p string) (int64, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.Scheme+"://"+base.Host+p, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return 0, "", err
	}
	if res.StatusCode != http.StatusOK {
		return 0, "", fmt.Errorf("GET %s: status %d", p, res.StatusCode)
	}
	return n, res.Header.Get("Content-Encoding"), nil
}

// requestMix picks the next request.
type requestMix struct {
	pages, provinces, categories []string
	big                          string
	bigShare                     int
	searchShare                  int // percent of the non-big requests
}

const (
	kindPage = iota
	kindAPI
	kindSearchPage
	kindBig
	kinds
)

var kindNames = [kinds]string{"page", "api/search", "tim-kiem", "big"}

func (m requestMix) next(r *rand.Rand) (int, string) {
	if m.big != "" && r.IntN(100) < m.bigShare {
		return kindBig, m.big
	}
	if r.IntN(100) >= m.searchShare {
		return kindPage, m.pages[r.IntN(len(m.pages))]
	}
	v := url.Values{}
	v.Set("q", queries[r.IntN(len(queries))])
	if r.IntN(3) == 0 && len(m.provinces) > 0 {
		v.Set("tinh", m.provinces[r.IntN(len(m.provinces))])
	}
	if r.IntN(5) == 0 && len(m.categories) > 0 {
		v.Set("chuyen-muc", m.categories[r.IntN(len(m.categories))])
	}
	if r.IntN(6) == 0 {
		v.Set("nam", strconv.Itoa(2005+r.IntN(20)))
	}
	if r.IntN(4) == 0 {
		v.Set("sap-xep", "moi-nhat")
	}
	if r.IntN(5) == 0 {
		v.Set("trang", strconv.Itoa(2+r.IntN(3)))
	}
	if r.IntN(2) == 0 {
		return kindAPI, "/api/search?" + v.Encode()
	}
	return kindSearchPage, "/tim-kiem/?" + v.Encode()
}

// counts are the results of one kind of request.
type counts struct {
	ok, unavailable, errors int
	latencies               []time.Duration
	firstErrors             []string
}

func (c *counts) add(o counts) {
	c.ok += o.ok
	c.unavailable += o.unavailable
	c.errors += o.errors
	c.latencies = append(c.latencies, o.latencies...)
	for _, e := range o.firstErrors {
		if len(c.firstErrors) < 5 {
			c.firstErrors = append(c.firstErrors, e)
		}
	}
}

type stats struct {
	byKind [kinds]counts
	total  counts
	others counts // every kind but the big file
}

// load runs the clients until the duration ends.
func load(ctx context.Context, c *http.Client, o options, mix requestMix) stats {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	results := make([][kinds]counts, o.concurrency)
	var wg sync.WaitGroup
	for w := range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(o.seed, uint64(w)))
			mine := &results[w]
			for ctx.Err() == nil {
				kind, target := mix.next(r)
				start := time.Now()
				status, err := fetch(ctx, c, o.base, target, kind == kindBig)
				took := time.Since(start)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				k := &mine[kind]
				switch {
				case err != nil:
					k.errors++
					if len(k.firstErrors) < 5 {
						k.firstErrors = append(k.firstErrors, fmt.Sprintf("GET %s: %v", target, err))
					}
				case status == http.StatusServiceUnavailable:
					k.unavailable++
				case status < 200 || status > 299:
					k.errors++
					if len(k.firstErrors) < 5 {
						k.firstErrors = append(k.firstErrors, fmt.Sprintf("GET %s: status %d", target, status))
					}
				default:
					k.ok++
				}
				k.latencies = append(k.latencies, took)
			}
		}()
	}
	wg.Wait()
	var st stats
	for _, r := range results {
		for k := range r {
			st.byKind[k].add(r[k])
			st.total.add(r[k])
			if k != kindBig {
				st.others.add(r[k])
			}
		}
	}
	return st
}

// fetch sends one GET and reads the whole body. raw asks for gzip itself, so that the
// body is read as sent, not decompressed.
func fetch(ctx context.Context, c *http.Client, base *url.URL, target string, raw bool) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.Scheme+"://"+base.Host+target, nil)
	if err != nil {
		return 0, err
	}
	if raw {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return res.StatusCode, err
	}
	return res.StatusCode, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func (st stats) print(w io.Writer, d time.Duration) {
	line := func(name string, c counts) {
		l := slices.Clone(c.latencies)
		slices.Sort(l)
		n := c.ok + c.unavailable + c.errors
		var longest time.Duration
		if len(l) > 0 {
			longest = l[len(l)-1]
		}
		fmt.Fprintf(w, "%-11s %8d req %9.1f req/s  p50 %8s  p90 %8s  p99 %8s  max %8s  503: %d  errors: %d\n",
			name, n, float64(n)/d.Seconds(), round(percentile(l, .5)), round(percentile(l, .9)),
			round(percentile(l, .99)), round(longest), c.unavailable, c.errors)
	}
	for k := range kinds {
		if k == kindBig && len(st.byKind[k].latencies) == 0 {
			continue
		}
		line(kindNames[k], st.byKind[k])
	}
	line("others", st.others)
	line("total", st.total)
	for _, e := range st.total.firstErrors {
		fmt.Fprintln(w, "  error:", e)
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
