package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// syncBuffer is a bytes buffer safe for a server writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveSample builds a copy of the repository's sample site and runs portal
// serve on it; it returns the server's address.
func serveSample(t *testing.T, extraConfig string) string {
	t.Helper()
	base, _ := serveSampleSite(t, extraConfig)
	return base
}

// serveSampleSite is serveSample that also returns the site folder.
func serveSampleSite(t *testing.T, extraConfig string) (base, site string) {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := sitetest.RepoRoot(t)
	site = t.TempDir()
	for _, d := range []string{"content", "themes"} {
		sitetest.CopyTree(t, filepath.Join(root, d), filepath.Join(site, d))
	}
	cfg, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFiles(t, site, map[string]string{"config.toml": string(cfg) + extraConfig})
	if code, _, errOut := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- runServe(ctx, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}, []string{"--source", site, "--addr", "127.0.0.1:0"})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if a := addr.FindString(out.String()); a != "" {
			return a, site
		}
	}
	t.Fatalf("portal serve did not start: %s %s", out.String(), errOut.String())
	return "", ""
}

func getBody(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
	}
	return string(b)
}

type apiAnswer struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		URL         string `json:"url"`
		Title       string `json:"title"`
		ExcerptHTML string `json:"excerpt_html"`
	} `json:"hits"`
	Suggestion        *string `json:"suggestion"`
	ProvincesIncluded []struct {
		Name, Slug string
	} `json:"provinces_included"`
	Notes []string `json:"notes"`
}

func apiSearch(t *testing.T, base, q string, extra ...string) apiAnswer {
	t.Helper()
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Add(extra[i], extra[i+1])
	}
	var a apiAnswer
	if err := json.Unmarshal([]byte(getBody(t, base+"/api/search?"+v.Encode())), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// Issue 18, done-when: through portal serve on the sample site,
// abbreviations, merged provinces and typing slips are understood.
func TestServeSampleSearch(t *testing.T) {
	base := serveSample(t, "\n[search.synonyms]\n\"LĐ\" = [\"lãnh đạo\"]\n")
	urls := func(a apiAnswer) []string {
		var out []string
		for _, h := range a.Hits {
			out = append(out, h.URL)
		}
		return out
	}

	// "ủy ban nhân dân" finds the articles that write UBND.
	a := apiSearch(t, base, "ủy ban nhân dân")
	ubnd := apiSearch(t, base, "UBND")
	if ubnd.Total < 4 || a.Total < ubnd.Total {
		t.Errorf("ủy ban nhân dân: %d results, UBND: %d; want every UBND article", a.Total, ubnd.Total)
	}
	for _, u := range urls(ubnd) {
		if !slices.Contains(urls(a), u) {
			t.Errorf("ủy ban nhân dân misses %s", u)
		}
	}
	// The exact form still ranks the article that writes it first.
	if got := urls(apiSearch(t, base, "Thông tin và Truyền thông")); len(got) == 0 || !strings.Contains(got[0], "so-thong-tin-va-truyen-thong") {
		t.Errorf("Thông tin và Truyền thông: %v, want the article titled with it first", got)
	}
	// The site's own synonym.
	if got := apiSearch(t, base, "LĐ UBND tỉnh Vĩnh Phúc"); got.Total == 0 {
		t.Errorf("LĐ (site synonym of lãnh đạo): nothing found")
	}

	// "phu tho" finds the Vĩnh Phúc article, and says why.
	a = apiSearch(t, base, "phu tho")
	if !slices.ContainsFunc(urls(a), func(u string) bool { return strings.Contains(u, "vinh-phuc") }) {
		t.Errorf("phu tho: %v, want the Vĩnh Phúc article", urls(a))
	}
	if !slices.ContainsFunc(a.ProvincesIncluded, func(p struct{ Name, Slug string }) bool { return p.Slug == "vinh-phuc" }) {
		t.Errorf("phu tho: provinces_included %v", a.ProvincesIncluded)
	}
	// A province's name is no slip: no "did you mean" for it (it once offered "phủ thi").
	if a.Suggestion != nil {
		t.Errorf("phu tho: suggestion %q, want none for a province's name", *a.Suggestion)
	}
	page := getBody(t, base+"/tim-kiem/?q=phu+tho")
	if !strings.Contains(page, "gồm cả tin của") || !strings.Contains(page, "Vĩnh Phúc") || !strings.Contains(page, "01/07/2025") {
		t.Errorf("phu tho: the page does not say why the Vĩnh Phúc article is there")
	}
	page = getBody(t, base+"/tim-kiem/?q=&tinh=phu-tho")
	if !strings.Contains(page, "gồm cả tin của") {
		t.Errorf("tinh=phu-tho: the page does not say the predecessors are included")
	}

	// "hooij nghij" suggests "hội nghị", and the suggestion's link finds results.
	a = apiSearch(t, base, "hooij nghij")
	if a.Suggestion == nil || *a.Suggestion != "hội nghị" {
		t.Fatalf("hooij nghij: suggestion %v, want \"hội nghị\"", a.Suggestion)
	}
	if a := apiSearch(t, base, "hội nghị"); a.Suggestion != nil {
		t.Errorf("hội nghị: suggestion %q, want none (absent)", *a.Suggestion)
	}
	page = getBody(t, base+"/tim-kiem/?q=hooij+nghij")
	link := regexp.MustCompile(`Có phải bạn muốn tìm: <a href="([^"]+)">hội nghị</a>`).FindStringSubmatch(page)
	if link == nil {
		t.Fatalf("hooij nghij: no “Có phải bạn muốn tìm” link on the page")
	}
	href := strings.ReplaceAll(link[1], "&amp;", "&")
	if got := getBody(t, base+href); !strings.Contains(got, `class="hit"`) {
		t.Errorf("the suggestion's link %s finds nothing", href)
	}
}
