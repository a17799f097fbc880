package build

import (
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/sitetest"
)

// A mistake in a layout fails every page that uses it: the build reports it once, at
// the template's line and column, with how many pages met it and the first of them,
// instead of one line per page.
func TestTemplateErrorReportedOncePerPlace(t *testing.T) {
	files := map[string]string{
		"layouts/article.html": "<main>\n<h1>{{ .Page.Titel }}</h1></main>",
	}
	for _, name := range []string{"c", "a", "b"} {
		files["content/tin-tuc/"+name+".md"] = article("Bài "+name, "2020-01-01")
	}
	dir := sitetest.NewSite(t, files)
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	items, ok := diag.AsErrors(err)
	if !ok || len(items) != 1 {
		t.Fatalf("error %v, want one diagnostic", err)
	}
	d := items[0]
	if !strings.HasSuffix(d.Path, "layouts/article.html") || d.Line != 2 || d.Col != 13 || d.Code != render.CodeTheme {
		t.Errorf("at %s:%d:%d (%s), want layouts/article.html:2:13 (theme): the column of .Titel", d.Path, d.Line, d.Col, d.Code)
	}
	if want := "có phải là Title?"; !strings.Contains(d.Message, want) || !strings.Contains(d.Message, "ở 3 trang, trang đầu là /tin-tuc/a/") {
		t.Errorf("message %q, want %q and the three pages from /tin-tuc/a/", d.Message, want)
	}
	n := 0
	for _, r := range rep.Diagnostics {
		if r.Code == render.CodeTheme {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the report holds %d template diagnostics, want 1 (printed by the CLI)", n)
	}
}
