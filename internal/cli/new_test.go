package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/sitetest"
)

func authorParse(t *testing.T, path string) *content.Document {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, ds := content.Parse("content/tin-tuc/x.md", raw, content.Schema{Taxonomies: []string{"provinces", "categories", "tags"}})
	if doc == nil || hasError(ds) {
		t.Fatalf("%s does not parse: %v\n%s", path, ds, raw)
	}
	return doc
}

func TestNewFromThemeArchetype(t *testing.T) {
	site := siteDir(t)
	before := time.Now().Add(-time.Second)
	code, out, errOut := authorRun(t, "new", "--source", site, "--province", "tỉnh Hà Tĩnh",
		"Hội nghị \"chuyển đổi số\": kết quả năm 2025", "--province", "TP. Hồ Chí Minh", "--province", "Hà Tĩnh")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	path := filepath.Join(site, "content", "tin-tuc", "hoi-nghi-chuyen-doi-so-ket-qua-nam-2025.md")
	if !strings.Contains(out, path) {
		t.Errorf("stdout does not give the path created: %s", out)
	}
	// Issue 17, item 5: the archetype inside the binary is described in words, not as
	// "(theo mẫu (embedded default theme)/archetypes/default.md)".
	if !strings.Contains(out, "(theo mẫu bài default.md có sẵn trong portal (giao diện mặc định))") || strings.Contains(out, "embedded") {
		t.Errorf("stdout does not say which archetype was used: %s", out)
	}
	doc := authorParse(t, path)
	if doc.Title != "Hội nghị \"chuyển đổi số\": kết quả năm 2025" || !doc.Draft || doc.Summary != "" {
		t.Errorf("title %q draft %v summary %q", doc.Title, doc.Draft, doc.Summary)
	}
	if got := doc.Terms.Of("provinces"); !slices.Equal(got, []string{"Hà Tĩnh", "Hồ Chí Minh"}) {
		t.Errorf("provinces %q, want the canonical names, each once", got)
	}
	if doc.Date.Before(before) || doc.Date.After(time.Now().Add(time.Second)) {
		t.Errorf("date %v is not now", doc.Date)
	}
	if _, off := doc.Date.Zone(); off != 7*3600 {
		t.Errorf("date %v is not in Asia/Ho_Chi_Minh", doc.Date)
	}
	for _, key := range []string{"summary", "categories", "tags", "author"} {
		if _, ok := doc.KeyLines.Line(key); !ok { // the archetype writes the key (Params holds only keys without a field)
			t.Errorf("the default archetype has no %s field", key)
		}
	}
	// The theme folder holds the archetype that the binary embeds.
	if _, err := os.Stat(filepath.Join(authorSeeds(t), "..", "..", "themes", "default", "archetypes", "default.md")); err != nil {
		t.Error(err)
	}
}

func TestNewArchetypeLookup(t *testing.T) {
	site := siteDir(t)
	sitetest.WriteFiles(t, site, map[string]string{
		"archetypes/tin-tuc.md": "---\ntitle: {{ quote .Title }}\ndate: {{ .Date }}\nsection: {{ .Section }}\nprovinces: [{{ range $i, $p := .Provinces }}{{ if $i }}, {{ end }}{{ quote $p }}{{ end }}]\n---\nMẫu tin tức\n",
		"archetypes/default.md": "---\ntitle: {{ quote .Title }}\ndate: {{ .Date }}\n---\nMẫu chung của trang\n",
	})
	code, out, errOut := authorRun(t, "new", "--source", site, "--province", "Huế", "Tin A")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "(theo mẫu " + filepath.Join(site, "archetypes", "tin-tuc.md") + ")"; !strings.Contains(out, want) {
		t.Errorf("stdout %q does not name %s", out, want)
	}
	doc := authorParse(t, filepath.Join(site, "content", "tin-tuc", "tin-a.md"))
	if !strings.Contains(string(doc.Body), "Mẫu tin tức") || doc.Params["section"] != "tin-tuc" || !slices.Equal(doc.Terms.Of("provinces"), []string{"Huế"}) {
		t.Errorf("archetypes/tin-tuc.md not used: %+v", doc)
	}
	if code, _, errOut := authorRun(t, "new", "--source", site, "--section", "thong-bao", "Thông báo B"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	doc = authorParse(t, filepath.Join(site, "content", "thong-bao", "thong-bao-b.md"))
	if !strings.Contains(string(doc.Body), "Mẫu chung của trang") {
		t.Errorf("archetypes/default.md not used for another section: %s", doc.Body)
	}

	// A theme on disk provides the archetype when the site has none.
	other := t.TempDir()
	sitetest.WriteFiles(t, other, map[string]string{
		"config.toml":                        "theme = \"rieng\"\n",
		"themes/rieng/archetypes/default.md": "---\ntitle: {{ quote .Title }}\ndate: {{ .Date }}\n---\nMẫu của giao diện riêng\n",
	})
	if code, _, errOut := authorRun(t, "new", "--source", other, "Tin C"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if doc := authorParse(t, filepath.Join(other, "content", "tin-tuc", "tin-c.md")); !strings.Contains(string(doc.Body), "giao diện riêng") {
		t.Errorf("the theme's archetype was not used: %s", doc.Body)
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	site := siteDir(t)
	mine := "---\ntitle: \"Tin A\"\ndate: 2024-01-01\n---\nĐã viết.\n"
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/tin-a.md":       mine,
		"content/tin-tuc/tin-b/index.md": mine,
	})
	for _, title := range []string{"Tin A", "Tin B"} {
		code, _, errOut := authorRun(t, "new", "--source", site, title)
		if code != ExitError || !strings.Contains(errOut, "không ghi đè") {
			t.Errorf("%s: exit %d, stderr %q", title, code, errOut)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(site, "content", "tin-tuc", "tin-a.md")); string(got) != mine {
		t.Error("the existing article was changed")
	}
	if _, err := os.Stat(filepath.Join(site, "content", "tin-tuc", "tin-b.md")); !os.IsNotExist(err) {
		t.Error("an article was created beside an existing bundle with the same URL")
	}
}

func TestNewUnknownProvince(t *testing.T) {
	site := siteDir(t)
	code, _, errOut := authorRun(t, "new", "--source", site, "--province", "Lâm Đông", "--province", "Xyzzy", "Tin A")
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(errOut, `có phải "Lâm Đồng"?`) || !strings.Contains(errOut, `"Xyzzy"`) {
		t.Errorf("stderr does not suggest the right name: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "content")); !os.IsNotExist(err) {
		t.Error("a file was created despite the unknown province")
	}
}

func TestNewMergedProvinceNote(t *testing.T) {
	site := siteDir(t)
	code, _, errOut := authorRun(t, "new", "--source", site, "--province", "Vĩnh Phúc", "Tin cũ")
	if code != ExitOK || !strings.Contains(errOut, "Phú Thọ") {
		t.Errorf("exit %d, stderr %q: want a note that Vĩnh Phúc is now part of Phú Thọ", code, errOut)
	}
}

func TestNewUsageAndBrokenArchetypes(t *testing.T) {
	site := siteDir(t)
	for _, args := range [][]string{
		{"new", "--source", site},
		{"new", "--source", site, "   "},
		{"new", "--source", site, "--section", "Tin Tức", "Tin A"},
		{"new", "--source", site, "!!!"},
	} {
		if code, _, errOut := authorRun(t, args...); code != ExitUsage || errOut == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
	sitetest.WriteFiles(t, site, map[string]string{
		"archetypes/cu-phap.md":  "---\ntitle: {{ .Title \n---\n",
		"archetypes/khong-co.md": "---\ntitle: {{ .Tieude }}\n---\n",
		"archetypes/yaml.md":     "---\ntitle: {{ .Title }}: hỏng\ndate: {{ .Date }}\n---\n",
	})
	for section, want := range map[string]string{
		"cu-phap":  "archetypes/cu-phap.md",
		"khong-co": "Tieude",
		"yaml":     "archetypes/yaml.md",
	} {
		code, _, errOut := authorRun(t, "new", "--source", site, "--section", section, "Tin A")
		if code != ExitError || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q (want it to mention %q)", section, code, errOut, want)
		}
		if _, err := os.Stat(filepath.Join(site, "content", section)); !os.IsNotExist(err) {
			t.Errorf("%s: a file was written from a broken archetype", section)
		}
	}
}
