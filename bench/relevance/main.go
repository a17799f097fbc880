// Command relevance measures portal's search and Pagefind on the same built site with the
// judged relevance set (internal/relevance, testdata/relevance/queries.tsv) and prints
// nDCG@10 and recall@10 side by side, overall and per kind of query.
//
//	go run ./bench/relevance                 # Pagefind from bench/out (bench/run.sh --install)
//	go run ./bench/relevance -pagefind PATH  # another Pagefind binary
//
// Pagefind indexes the article pages of the portal-built site exactly as bench/run.sh
// does (--glob 'tin-tuc/*/index.html' --root-selector main) and is searched through its
// own JavaScript (pagefind.js, WebAssembly) in headless Chromium, first 10 results.
// Portal is searched through its index; a query finding nothing is scored on its
// suggestion's results, as a citizen clicking "Có phải bạn muốn tìm" would (the
// figures without that click are printed too).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/relevance"
	"github.com/vnportal/portal/internal/search"
)

func main() {
	root, err := relevance.Root(".")
	if err != nil {
		fail(err)
	}
	work := flag.String("work", filepath.Join(root, "bench", "out", "relevance"), "working folder (its site/ is rebuilt)")
	pf := flag.String("pagefind", filepath.Join(root, "bench", "out", "node_modules", ".bin", "pagefind"), "Pagefind binary; \"\" skips Pagefind")
	flag.Parse()
	if err := run(root, *work, *pf); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "relevance:", err)
	os.Exit(1)
}

type row struct {
	portal, direct, pagefind relevance.Score
}

func run(root, work, pagefind string) error {
	ctx := context.Background()
	qs, err := relevance.Load(filepath.Join(root, "testdata", "relevance", "queries.tsv"))
	if err != nil {
		return err
	}
	site := filepath.Join(work, "site")
	if err := os.RemoveAll(site); err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	os.Setenv("XDG_CACHE_HOME", filepath.Join(work, "cache"))
	fmt.Fprintf(os.Stderr, "building the judged site (%d corpus articles + sample + planted) in %s\n", relevance.CorpusArticles, site)
	if err := relevance.MakeSite(root, site); err != nil {
		return err
	}
	idx, err := relevance.Build(ctx, site)
	if err != nil {
		return err
	}
	ix, err := search.Open(idx)
	if err != nil {
		return err
	}
	defer ix.Close()

	rows := map[string]*row{"all": {}}
	add := func(kind string, f func(r *row)) {
		if rows[kind] == nil {
			rows[kind] = &row{}
		}
		f(rows[kind])
		f(rows["all"])
	}
	for _, q := range qs {
		s, err := relevance.Portal(ctx, ix, q, true)
		if err != nil {
			return err
		}
		d, err := relevance.Portal(ctx, ix, q, false)
		if err != nil {
			return err
		}
		add(q.Kind, func(r *row) { r.portal.Add(s.URLs, q.Rel); r.direct.Add(d.URLs, q.Rel) })
	}

	havePF := pagefind != ""
	if havePF {
		if _, err := os.Stat(pagefind); err != nil {
			return fmt.Errorf("Pagefind not found at %s (run bench/run.sh --install, or pass -pagefind \"\" to skip it): %w", pagefind, err)
		}
		results, err := searchPagefind(ctx, pagefind, filepath.Join(site, "public"), qs)
		if err != nil {
			return err
		}
		for i, q := range qs {
			add(q.Kind, func(r *row) { r.pagefind.Add(results[i], q.Rel) })
		}
	}

	kinds := make([]string, 0, len(rows))
	for k := range rows {
		if k != "all" {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	kinds = append(kinds, "all")
	fmt.Printf("| queries | n | portal nDCG@10 | portal recall@10 | portal, no suggestion click nDCG@10 | Pagefind nDCG@10 | Pagefind recall@10 |\n")
	fmt.Printf("|---|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range kinds {
		r := rows[k]
		pn, pr := "–", "–"
		if havePF {
			pn, pr = fmt.Sprintf("%.3f", r.pagefind.NDCG), fmt.Sprintf("%.3f", r.pagefind.Recall)
		}
		fmt.Printf("| %s | %d | %.3f | %.3f | %.3f | %s | %s |\n", k, r.portal.Queries, r.portal.NDCG, r.portal.Recall, r.direct.NDCG, pn, pr)
	}
	return nil
}

// searchPagefind indexes public with Pagefind and returns, per query, the URLs of its
// first K results, searched with pagefind.js in headless Chromium.
func searchPagefind(ctx context.Context, bin, public string, qs []relevance.Query) ([][]string, error) {
	out := filepath.Join(public, "pagefind")
	_ = os.RemoveAll(out)
	cmd := exec.CommandContext(ctx, bin, "--site", public, "--glob", "tin-tuc/*/index.html", "--root-selector", "main", "--output-path", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pagefind: %v\n%s", err, b)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(public)), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	chrome := browsertest.Path()
	if chrome == "" {
		return nil, errors.New("Chromium not found: Pagefind's search runs in its JavaScript")
	}
	profile, err := os.MkdirTemp("", "relevance-chrome-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	actx, cancel := chromedp.NewExecAllocator(ctx, browsertest.Options(chrome, profile)...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 5*time.Minute)
	defer cancel()
	if err := chromedp.Run(bctx, chromedp.Navigate(base+"/pagefind/pagefind-ui.css")); err != nil {
		// Any page of the origin will do; the CSS file exists in every Pagefind output.
		if err := chromedp.Run(bctx, chromedp.Navigate(base+"/")); err != nil {
			return nil, err
		}
	}
	const js = `(async (q, k) => {
		if (!window.__pf) { window.__pf = await import('/pagefind/pagefind.js'); await window.__pf.init(); }
		const r = await window.__pf.search(q);
		const d = await Promise.all(r.results.slice(0, k).map(x => x.data()));
		return d.map(x => x.url);
	})`
	res := make([][]string, len(qs))
	for i, q := range qs {
		arg, _ := jsonString(q.Typed())
		var urls []string
		err := chromedp.Run(bctx, chromedp.Evaluate(fmt.Sprintf("%s(%s, %d)", js, arg, relevance.K), &urls, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}))
		if err != nil {
			return nil, fmt.Errorf("pagefind search %q: %w", q.Text, err)
		}
		for j, u := range urls {
			urls[j] = normalizeURL(u)
		}
		res[i] = urls
	}
	return res, nil
}
