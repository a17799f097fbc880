package config

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoadFromMapFS reads config.toml from a file system in memory: its values, the
// defaults when it is missing, and diagnostics named dir/config.toml.
func TestLoadFromMapFS(t *testing.T) {
	fsys := fstest.MapFS{"config.toml": {Data: []byte("baseURL = \"https://stttt.example.gov.vn\"\ntitle = \"Cổng thông tin\"\npaginat = 5\n")}}
	cfg, ds := Load(fsys, "trang")
	if ds.HasErrors() || cfg.Title != "Cổng thông tin" || cfg.BaseURL != "https://stttt.example.gov.vn/" {
		t.Errorf("got %+v, %v", cfg, ds.Items())
	}
	if items := ds.Items(); len(items) != 1 || items[0].Path != filepath.Join("trang", "config.toml") || items[0].Line != 3 {
		t.Errorf("want one warning at trang/config.toml:3, got %v", items)
	}
	cfg, ds = Load(fstest.MapFS{}, "trang")
	if len(ds.Items()) != 0 || !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("a missing config.toml must give the defaults, got %+v, %v", cfg, ds.Items())
	}
	_, ds = Load(fstest.MapFS{"config.toml/x": {}}, "")
	if items := ds.Items(); len(items) != 1 || items[0].Path != "config.toml" || !ds.HasErrors() {
		t.Errorf("an unreadable config.toml (a folder) must be an error, got %v", items)
	}
}

func TestParseDefaultsAndValues(t *testing.T) {
	src := `baseURL = "https://stttt.example.gov.vn"
title = "Cổng thông tin"
paginate = 5
[permalinks]
tin-tuc = "/:section/:year/:slug/"
[organization]
name = "Sở Thông tin và Truyền thông"
`
	cfg, ds := Parse("config.toml", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	if cfg.BaseURL != "https://stttt.example.gov.vn/" {
		t.Errorf("BaseURL = %q, want trailing slash added", cfg.BaseURL)
	}
	if cfg.Paginate != 5 || cfg.Theme != "default" || cfg.Search.Index != ".search" {
		t.Errorf("unexpected cfg %+v", cfg)
	}
	if got := cfg.Permalink("tin-tuc"); got != "/:section/:year/:slug/" {
		t.Errorf("Permalink(tin-tuc) = %q", got)
	}
	if got := cfg.Permalink("thong-bao"); got != "/:section/:slug/" {
		t.Errorf("Permalink(thong-bao) = %q", got)
	}
	if len(cfg.Taxonomies) != 3 || cfg.Taxonomies[0].Path != "tinh" {
		t.Errorf("default taxonomies missing: %+v", cfg.Taxonomies)
	}
}

func TestParseSyntaxErrorHasPosition(t *testing.T) {
	_, ds := Parse("config.toml", []byte("title = \"x\"\npaginate = = 3\n"))
	items := ds.Items()
	if len(items) != 1 || items[0].Line != 2 || items[0].Col == 0 {
		t.Fatalf("want one error at line 2 with a column, got %v", items)
	}
}

func TestUnknownKeyWarns(t *testing.T) {
	_, ds := Parse("config.toml", []byte("title = \"x\"\npaginat = 3\n"))
	items := ds.Items()
	if len(items) != 1 || ds.HasErrors() || items[0].Line != 2 || !strings.Contains(items[0].Message, "paginat") {
		t.Fatalf("want one warning at line 2 naming paginat, got %v", items)
	}
}

func TestValidation(t *testing.T) {
	for _, src := range []string{
		`baseURL = "ftp://x"`,
		`paginate = -1`,
		`theme = "../../etc"`,
		"[search]\nindex = \"search\"",
		"[permalinks]\ntin-tuc = \"/../:slug/\"",
	} {
		if _, ds := Parse("config.toml", []byte(src)); !ds.HasErrors() {
			t.Errorf("%q: want an error", src)
		}
	}
}

// FuzzParse feeds arbitrary config.toml text to Parse: it must not panic or overflow the
// stack, and every diagnostic names the file with a line and column that are not negative.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng\"\n[search]\nindex = \".search\"\n",
		"[[provinces]]\nname = \"Hà Tây\"\nmergedInto = \"Hà Nội\"\nmergedOn = \"2008-08-01\"\n",
		"x = " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n",
		"[limits]\nmaxNesting = -1\n[build]\nmaxShrink = 2\n",
		"title = \"unterminated\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		_, ds := Parse("config.toml", src)
		for _, d := range ds.Items() {
			if d.Path != "config.toml" || d.Line < 0 || d.Col < 0 || d.Message == "" {
				t.Errorf("bad diagnostic %+v", d)
			}
		}
	})
}

func TestImagesSettings(t *testing.T) {
	cfg, ds := Parse("config.toml", []byte("[images]\nwidths = [1200, 480, 480]\nwebpQuality = 60\nkeepOriginal = true\n"))
	if ds.Err() != nil {
		t.Fatal(ds.Err())
	}
	if got := cfg.Images; !slices.Equal(got.Widths, []int{480, 1200}) || got.WebPQuality != 60 || got.Quality != 80 || !got.KeepOriginal {
		t.Errorf("Images = %+v, want widths [480 1200], webp 60, jpeg 80 (default), keepOriginal", got)
	}
	if cfg := Default(); !slices.Equal(cfg.Images.Widths, []int{360, 720, 1080, 1600}) || cfg.Limits.MaxImageMB != 25 {
		t.Errorf("defaults: %+v, %+v", cfg.Images, cfg.Limits)
	}
	_, ds = Parse("config.toml", []byte("title = \"x\"\n[images]\nwidths = [0, 720]\nquality = 101\n"))
	if items := ds.Items(); len(items) != 2 || items[0].Line != 3 || !strings.Contains(items[0].Message, "widths") || items[1].Line != 4 {
		t.Errorf("bad widths and quality: %v, want two errors at lines 3 and 4", items)
	}
}
