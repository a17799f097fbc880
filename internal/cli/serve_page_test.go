package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// A build that changes the theme's stylesheet publishes it under a new fingerprint and
// removes the old file; the running server's search page must link the new one (it
// linked the stylesheet of the build it started with, a 404 after the next build).
func TestServeSearchPageFollowsANewBuild(t *testing.T) {
	base, site := serveSampleSite(t, "")
	css := regexp.MustCompile(`href="(/[^"]*site[^"]*\.css)"`)
	linked := func() string {
		m := css.FindStringSubmatch(getBody(t, base+"/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B"))
		if m == nil {
			t.Fatal("the search page links no site stylesheet")
		}
		return m[1]
	}
	before := linked()
	sheet := filepath.Join(site, "themes", "default", "static", "css", "site.css")
	b, err := os.ReadFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sheet, append(b, []byte("\n.kiem-thu-moi{color:#123456}\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("second build: exit %d\n%s", code, errOut)
	}
	after := linked()
	if after == before {
		t.Fatalf("the search page still links %s after a build that changed the stylesheet", before)
	}
	resp, err := http.Get(base + after)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s (linked by the search page): %d", after, resp.StatusCode)
	}
}
