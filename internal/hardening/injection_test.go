package hardening

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// hostileBody is Markdown whose raw HTML, links and images try every common way of
// getting script into a page.
const hostileBody = `## Mục <script>alert(1)</script>

Đoạn văn <script>alert(1)</script> và "><img src=x onerror=alert(1)> và </script><script>alert(1)</script> và ]]> hết.

<div onclick="alert(1)" class="hop"><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a> GIU-LAI-DIV</div>

<script>alert(1)</script>

<iframe src="javascript:alert(1)"></iframe>

[liên kết](javascript:alert(1)) [dữ liệu](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1)) [thực thể](&#106;avascript:alert(1)) [tab](java	script:alert(1))

![ảnh](javascript:alert(1)) ![ảnh dữ liệu](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) ![ảnh png](data:image/png;base64,iVBORw0KGgo=)

<javascript:alert(1)> [tham chiếu][ref]

[ref]: javascript:alert(1)

<a href="JaVaScRiPt:alert(1)">y</a> <a href=" java&#x09;script:alert(1)">z</a> <a href="/hop-le/" style="x:expression(alert(1))">LIEN-KET-HOP-LE</a>

<img src="data:image/png;base64,AAAA" alt="d"> <img srcset="javascript:alert(1) 1x, /a.png 2x">

<svg onload=alert(1)><script>alert(1)</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>

<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>

<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)"><base href="javascript:alert(1)//">

<meta http-equiv="refresh" content="0;url=javascript:alert(1)">

<!-- --><script>alert(1)</script> -->

<scr<script>ipt>alert(1)</script>

<details open ontoggle=alert(1)><summary>s</summary></details>

` + "```html\n<script>alert(1)</script>\n```\n"

// yamlQuote quotes s as a YAML double-quoted scalar (JSON strings are valid YAML).
func yamlQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func yamlList(ss ...string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = yamlQuote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// aliasFor is the alias each payload's article declares; payload 3 (javascript:) would
// be rejected as a full URL and is tested by TestHostileSlugsAndAliases instead.
func aliasFor(i int, p string) string {
	if i == 3 {
		return "/cu/bai-3/"
	}
	return "/cu/" + p + "/"
}

// hostileSite writes a site whose articles carry the payloads in every field.
func hostileSite(t *testing.T, unsafe bool) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.toml": fmt.Sprintf(`baseURL = "https://cong.example.gov.vn/"
title = "Cổng thử nghiệm"
description = "Cổng thử nghiệm bảo mật"
theme = "default"
paginate = 5
[markup]
unsafe = %v
`, unsafe),
		"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
	}
	for i, p := range payloads {
		slug := ""
		if !strings.Contains(p, "/") { // slugs with "/" are rejected: see TestHostileSlugsAndAliases
			slug = "slug: " + yamlQuote(p) + "\n"
		}
		fm := "---\n" +
			"title: " + yamlQuote(fmt.Sprintf("Bài %d %s", i, p)) + "\n" +
			"date: 2024-05-0" + fmt.Sprint(i+1) + "T08:00:00\n" +
			"summary: " + yamlQuote("Tóm tắt "+p+" và &lt;script&gt;alert(1)&lt;/script&gt; và \\<b onmouseover=alert(1)>") + "\n" +
			"tags: " + yamlList(p, "Thẻ "+p) + "\n" +
			"categories: " + yamlList(p) + "\n" +
			"provinces: " + yamlList("Hà Tĩnh", p) + "\n" +
			"author: " + yamlQuote(p) + "\n" +
			"source: " + yamlQuote(p) + "\n" +
			"image: " + yamlQuote(p) + "\n" +
			"image_alt: " + yamlQuote(p) + "\n" +
			slug +
			"aliases: " + yamlList(aliasFor(i, p)) + "\n" +
			"---\n"
		files[fmt.Sprintf("content/tin-tuc/bai-%d.md", i)] = fm + hostileBody
	}
	// JSON front matter, and an image URL with a javascript: scheme spelled in an entity.
	files["content/tin-tuc/json.md"] = `{
  "title": "Bài JSON <script>alert(1)</script>",
  "date": "2024-06-01",
  "summary": "</script><script>alert(1)</script>",
  "image": "&#106;avascript:alert(1)",
  "provinces": ["Nghệ An"],
  "tags": ["]]>"]
}

` + hostileBody
	sitetest.WriteFiles(t, dir, files)
	return dir
}

// TestInjection builds the hostile site with markup.unsafe off and on, checks every
// output file for executable markup, then serves it and checks the search page and API.
func TestInjection(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		t.Run(fmt.Sprintf("unsafe=%v", unsafe), func(t *testing.T) {
			t.Parallel()
			dir := hostileSite(t, unsafe)
			ctx := context.Background()
			rep, err := build.Run(ctx, build.Options{SiteDir: dir, Minify: true, Cache: build.NewMemoryCache(),
				Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				for _, d := range rep.Diagnostics {
					t.Log(d)
				}
				t.Fatalf("build: %v", err)
			}
			if rep.Articles != len(payloads)+1 {
				t.Fatalf("built %d articles, want %d", rep.Articles, len(payloads)+1)
			}
			public := filepath.Join(dir, "public")
			checkOutput(t, public, rep, unsafe)
			checkSearch(t, public, rep)
		})
	}
}

// checkOutput scans every output file.
func checkOutput(t *testing.T, public string, rep build.Report, unsafe bool) {
	permalinks := map[string]bool{}
	for _, a := range rep.Graph.Articles {
		permalinks[a.Permalink] = true
	}
	aliasTarget := map[string]string{} // output path → target
	for _, p := range rep.Graph.Pages {
		if p.Kind == site.KindAlias {
			aliasTarget[filepath.ToSlash(p.Path)] = p.Target
		}
	}
	if len(aliasTarget) != len(payloads) {
		t.Errorf("%d alias pages, want %d (one per article with aliases)", len(aliasTarget), len(payloads))
	}
	counts := map[string]int{}
	err := filepath.WalkDir(public, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".search" {
				return filepath.SkipDir
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".html":
			counts["html"]++
			s := scanHTML(b)
			for _, pr := range s.problems {
				t.Errorf("%s: %s", rel, pr)
			}
			target, isAlias := aliasTarget[rel]
			switch {
			case isAlias:
				if !permalinks[target] {
					t.Errorf("%s: alias target %q is not an article permalink", rel, target)
				}
				if len(s.refresh) != 1 || s.refresh[0] != target {
					t.Errorf("%s: meta refresh URLs %q, want exactly [%q]", rel, s.refresh, target)
				}
			case len(s.refresh) > 0:
				t.Errorf("%s: meta refresh %q on a page that is not an alias", rel, s.refresh)
			}
		case ".xml":
			counts["xml"]++
			for _, pr := range scanXML(b) {
				t.Errorf("%s: %s", rel, pr)
			}
		case ".json", ".webmanifest":
			counts["json"]++
			if !json.Valid(b) {
				t.Errorf("%s: invalid JSON", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["html"] < 10 || counts["xml"] < 2 {
		t.Fatalf("only %v files scanned: is the output folder complete?", counts)
	}
	// The payloads must reach the pages as visible, escaped text: a test that passes
	// because the content vanished would prove nothing.
	for _, a := range rep.Graph.Articles {
		b, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(strings.TrimPrefix(a.URL, "/")), "index.html"))
		if err != nil {
			t.Errorf("article %s: %v", a.URL, err)
			continue
		}
		s := scanHTML(b)
		if !strings.Contains(s.text, a.Title) {
			t.Errorf("%s: the title %q is not in the page's text", a.URL, a.Title)
		}
		if len(s.jsonLD) != 1 {
			t.Errorf("%s: %d JSON-LD blocks, want 1", a.URL, len(s.jsonLD))
		} else {
			var ld struct{ Headline, Description string }
			if err := json.Unmarshal([]byte(s.jsonLD[0]), &ld); err != nil || ld.Headline != a.Title {
				t.Errorf("%s: JSON-LD headline %q (err %v), want the title %q unchanged", a.URL, ld.Headline, err, a.Title)
			}
		}
		if seg := strings.Trim(a.URL, "/"); !regexp.MustCompile(`^[a-z0-9/-]+$`).MatchString(seg) {
			t.Errorf("article URL %q is not made of slug characters", a.URL)
		}
		if !strings.Contains(a.Path, "json") {
			foundLink := false
			for _, tag := range s.tags {
				if tag.name == "a" && tag.attrs["href"] == "/hop-le/" {
					foundLink = true
				}
			}
			if unsafe != foundLink {
				t.Errorf("%s: raw HTML link /hop-le/ present=%v with markup.unsafe=%v", a.URL, foundLink, unsafe)
			}
		}
	}
}

// checkSearch serves the built site and sends the payloads as queries.
func checkSearch(t *testing.T, public string, rep build.Report) {
	page, err := server.PageRenderer(rep.Renderer, rep.Graph)
	if err != nil {
		t.Fatal(err)
	}
	h, err := server.New(server.Options{Root: public, IndexPath: filepath.Join(public, ".search"), SearchPage: page, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()

	queries := append([]string{"alert", "script onerror", "Bài", "img src"}, payloads...)
	excerptWithPayload := false
	for _, q := range queries {
		u := srv.URL + "/api/search?q=" + url.QueryEscape(q)
		status, body := get(t, u)
		if status != http.StatusOK {
			t.Errorf("GET %s: %d %s", u, status, body)
			continue
		}
		if strings.ContainsAny(body, "<>") {
			t.Errorf("GET %s: raw < or > in the JSON body (HTML escaping off?): %.300s", u, body)
		}
		var res struct {
			Query string
			Total int
			Hits  []struct {
				URL, Title  string
				ExcerptHTML string `json:"excerpt_html"`
			}
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Errorf("GET %s: invalid JSON: %v", u, err)
			continue
		}
		if q == "alert" && res.Total == 0 {
			t.Errorf("q=alert found nothing: the hostile articles are not indexed")
		}
		for _, hit := range res.Hits {
			if dangerousURL(hit.URL) || !strings.HasPrefix(hit.URL, "/") {
				t.Errorf("q=%q: hit URL %q", q, hit.URL)
			}
			s := scanHTML([]byte(hit.ExcerptHTML))
			for _, pr := range s.problems {
				t.Errorf("q=%q: excerpt: %s", q, pr)
			}
			for _, tag := range s.tags {
				if tag.name != "mark" || len(tag.attrs) > 0 {
					t.Errorf("q=%q: excerpt has <%s %v>; only bare <mark> is allowed: %s", q, tag.name, tag.attrs, hit.ExcerptHTML)
				}
			}
			if strings.Contains(s.text, "alert(1)") {
				excerptWithPayload = true
			}
		}

		u = srv.URL + "/tim-kiem/?q=" + url.QueryEscape(q)
		status, body = get(t, u)
		if status != http.StatusOK {
			t.Errorf("GET %s: %d", u, status)
			continue
		}
		s := scanHTML([]byte(body))
		for _, pr := range s.problems {
			t.Errorf("GET %s: %s", u, pr)
		}
		echoed := false
		for _, tag := range s.tags {
			if tag.name == "input" && tag.attrs["name"] == "q" && tag.attrs["value"] == strings.TrimSpace(q) {
				echoed = true
			}
		}
		if !echoed {
			t.Errorf("GET %s: the query is not echoed (escaped) in the search box", u)
		}
	}
	if !excerptWithPayload {
		t.Errorf("no excerpt contained the text alert(1): the excerpt escaping was not exercised")
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// TestHostileSlugsAndAliases checks that each payload used as a slug or an alias is
// either rejected with a diagnostic on that file, or turned into a harmless path.
func TestHostileSlugsAndAliases(t *testing.T) {
	safePath := regexp.MustCompile(`^/[a-z0-9-]+/[a-z0-9-]+/$`)
	for _, field := range []string{"slug", "aliases", "url"} {
		for i, p := range append(slicesClone(payloads), "../../../etc/passwd", "//evil.example/x", "https://evil.example/", "/a/%2e%2e/%2e%2e/b/") {
			t.Run(fmt.Sprintf("%s/%d", field, i), func(t *testing.T) {
				dir := t.TempDir()
				val := yamlQuote(p)
				if field == "aliases" {
					val = yamlList(p)
				}
				sitetest.WriteFiles(t, dir, map[string]string{
					"config.toml":            "baseURL = \"https://cong.example.gov.vn/\"\ntitle = \"Cổng\"\n[search]\ndisabled = true\n",
					"content/tin-tuc/bai.md": "---\ntitle: \"Bài viết\"\ndate: 2024-01-02\n" + field + ": " + val + "\n---\nNội dung.\n",
				})
				var ds diag.List
				l, err := build.Load(context.Background(), build.Options{SiteDir: dir}, &ds)
				if err != nil || len(l.HeldBack) > 0 { // rejected: the build fails, or holds the article back
					found := false
					for _, d := range ds.Items() {
						if d.Severity == diag.Error && strings.HasSuffix(d.Path, "bai.md") && d.Line > 0 {
							found = true
						}
					}
					if !found {
						t.Errorf("%s %q rejected without a positioned diagnostic on the file: %v", field, p, ds.Items())
					}
					return
				}
				for _, pg := range l.Graph.Pages {
					if pg.Kind == site.KindAlias && (strings.Contains(pg.Path, "..") || strings.HasPrefix(pg.Path, "/")) {
						t.Errorf("%s %q: alias written to %q", field, p, pg.Path)
					}
				}
				if len(l.Graph.Articles) != 1 {
					t.Fatalf("%d articles", len(l.Graph.Articles))
				}
				a := l.Graph.Articles[0]
				if field == "slug" && !safePath.MatchString(a.URL) {
					t.Errorf("slug %q accepted as URL %q: want it rejected or slugified", p, a.URL)
				}
				if dangerousURL(a.URL) || strings.Contains(a.URL, "..") || !strings.HasPrefix(a.URL, "/") || strings.HasPrefix(a.URL, "//") {
					t.Errorf("%s %q gave article URL %q", field, p, a.URL)
				}
			})
		}
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
