package build

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/spool"
)

// A one-off build keeps bodies in a spool file between the Markdown stage and their page
// and index entry (TestIncrementalMatchesFullBuild compares its pages byte for byte with
// the in-memory path). Here: the index gets the bodies too, and nothing is left behind.
func TestSpooledBodiesReachPagesAndIndex(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	cfg := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "disabled = true", "disabled = false", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	dest := filepath.Join(out, "public")
	rep, err := runBuild(t, dir, func(o *Options) { o.Dest = dest })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Graph != nil || rep.Renderer != nil {
		t.Errorf("a one-off build kept its graph through the index stage")
	}
	page, err := os.ReadFile(filepath.Join(dest, "tin-tuc", "ha-tinh", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Tham dự có gần 100 đại biểu.") {
		t.Errorf("the article page lacks its body")
	}
	ix, err := search.Open(rep.IndexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Words of the body only (not in the title, lead or terms).
	res, err := ix.Search(context.Background(), search.Request{Query: "gần 100 đại biểu"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].URL != "/tin-tuc/ha-tinh/" || !strings.Contains(string(res.Hits[0].ExcerptHTML), "<mark>") {
		t.Errorf("search for body words: %+v", res)
	}
	if es, _ := os.ReadDir(out); len(es) != 1 {
		t.Errorf("the build left files beside its output: %v", es)
	}
	// A graph loaded with a one-off cache outlives its spool: bodies are gone, and say so.
	l, err := Load(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow}, &diag.List{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range l.Graph.Articles {
		if _, err := a.Content(); !errors.Is(err, spool.ErrClosed) {
			t.Errorf("%s: Content after Run: %v, want spool.ErrClosed", a.URL, err)
		}
		if a.Body.HTML != "" || a.Body.Text != "" || a.Document.Body != nil {
			t.Errorf("%s: the body is still in memory", a.URL)
		}
		break
	}
}

func TestBodyMetaRoundTrip(t *testing.T) {
	res := markdown.Result{HTML: "<p>x</p>", Text: "x", WordCount: 42,
		Headings:  []markdown.Heading{{Level: 2, ID: "phan-mot", Text: "Phần một"}, {Level: 3, ID: "", Text: ""}},
		Links:     []markdown.Link{{Dest: "/tin-tức/", Line: 7}, {Dest: "javascript:x", Line: 1 << 40, Blocked: true}, {Dest: "/a.png", Image: true, Alt: "Ảnh"}},
		Citations: []markdown.Citation{{Number: "64/2007/NĐ-CP", Key: "64-2007-nd-cp", Start: 3, End: 40, Line: 2, Col: 5}}}
	for _, src := range []struct {
		res     markdown.Result
		summary template.HTML
	}{
		{res, "<em>Tóm tắt</em>"},
		{markdown.Result{Text: "Chỉ có thân bài."}, ""},
		{markdown.Result{}, ""},
	} {
		wantPlain := site.PlainLead(src.summary, src.res.Text)
		b := encodeMeta(src.res, src.summary, wantPlain)
		got, summary, plain, err := decodeMeta(b)
		if err != nil {
			t.Fatal(err)
		}
		want := src.res
		want.HTML, want.Text = "", ""
		if !reflect.DeepEqual(got, want) || summary != src.summary || plain != wantPlain {
			t.Errorf("round trip:\n got %+v %q %q\nwant %+v %q %q", got, summary, plain, want, src.summary, wantPlain)
		}
		// Every cut and every changed byte is an error or a value, never a panic.
		for i := range b {
			if _, _, _, err := decodeMeta(b[:i]); err == nil {
				t.Errorf("decoding %d of %d bytes succeeded", i, len(b))
			}
			c := bytes.Clone(b)
			c[i] ^= 0xff
			decodeMeta(c)
		}
	}
}
