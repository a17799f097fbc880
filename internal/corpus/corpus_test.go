package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

var taxonomies = []string{"provinces", "categories", "tags"}

// readSite returns every file under dir keyed by slash path.
func readSite(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	tmp := t.TempDir()
	a, b, c := filepath.Join(tmp, "a"), filepath.Join(tmp, "b"), filepath.Join(tmp, "c")
	if err := Generate(a, 60, 7); err != nil {
		t.Fatal(err)
	}
	// A different worker count must not change a byte.
	if _, err := GenerateContext(context.Background(), b, Options{Articles: 60, Seed: 7, Workers: 5}); err != nil {
		t.Fatal(err)
	}
	if err := Generate(c, 60, 8); err != nil {
		t.Fatal(err)
	}
	fa, fb, fc := readSite(t, a), readSite(t, b), readSite(t, c)
	if len(fa) != len(fb) {
		t.Fatalf("same seed gave %d and %d files", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	same := 0
	for name, data := range fa {
		if strings.HasPrefix(name, "content/tin-tuc/") && bytes.Equal(data, fc[name]) {
			same++
		}
	}
	if same > 1 { // _index.md is the only file shared by design
		t.Errorf("seeds 7 and 8 gave %d identical article files", same-1)
	}
	// Article alone gives the same bytes as the full run.
	for _, i := range []int{0, 17, 59} {
		name, data := Article(7, i)
		if got := fa["content/tin-tuc/"+name]; !bytes.Equal(got, data) {
			t.Errorf("Article(7, %d) = %s differs from the file Generate wrote", i, name)
		}
	}
}

// goldenDigest is the SHA-256 of articles 0–9 of seed 1. Benchmark numbers are only
// comparable across runs on the same corpus: when a change to the generator is intended,
// update this digest and say in BENCHMARKS.md that older numbers used another corpus.
const goldenDigest = "ae8380eb5480186d89d80d318d88ec3e63de051c6aeaf85ceafb418ed2223874"

func TestGoldenDigest(t *testing.T) {
	h := sha256.New()
	for i := 0; i < 10; i++ {
		name, data := Article(1, i)
		h.Write([]byte(name))
		h.Write(data)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != goldenDigest {
		t.Errorf("the corpus for seed 1 changed: digest %s, want %s (see the comment on goldenDigest)", got, goldenDigest)
	}
	if name, _ := Article(1, 0); !strings.HasSuffix(name, "-1.md") {
		t.Errorf("file name %q should end in the article's number, -1.md", name)
	}
}

func TestCountsAndLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	st, err := GenerateContext(context.Background(), dir, Options{Articles: 120, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	files := readSite(t, dir)
	var articles int
	for name := range files {
		if strings.HasPrefix(name, "content/tin-tuc/") && name != "content/tin-tuc/_index.md" {
			articles++
		}
	}
	if articles != 120 || st.Articles != 120 {
		t.Errorf("wrote %d article files, Stats says %d; want 120", articles, st.Articles)
	}
	for _, want := range []string{"config.toml", "content/gioi-thieu.md", "content/tin-tuc/_index.md"} {
		if _, ok := files[want]; !ok {
			t.Errorf("%s is missing", want)
		}
	}
	if st.Words < 120*MinWords || st.Words > 120*(MaxWords+100) {
		t.Errorf("Stats.Words = %d, outside %d–%d", st.Words, 120*MinWords, 120*(MaxWords+100))
	}
	var total int64
	for name, b := range files {
		if strings.HasPrefix(name, "content/tin-tuc/") && name != "content/tin-tuc/_index.md" {
			total += int64(len(b))
		}
	}
	if total != st.Bytes {
		t.Errorf("Stats.Bytes = %d, files hold %d", st.Bytes, total)
	}
	cfg := string(files["config.toml"])
	for _, want := range []string{`theme = "default"`, "[search]", `paginate = 10`, `tin-tuc = "/:section/:slug/"`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config.toml lacks %q", want)
		}
	}
	if strings.Contains(cfg, "disabled = true") {
		t.Error("config.toml disables search")
	}
}

func TestRefusesNonEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Generate(dir, 3, 1)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Generate into a non-empty folder: err = %v, want a 'not empty' error", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(b) != "x" {
		t.Error("existing file was changed")
	}
	if err := Generate(filepath.Join(t.TempDir(), "x"), -1, 1); err == nil {
		t.Error("a negative count was accepted")
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := GenerateContext(ctx, filepath.Join(t.TempDir(), "s"), Options{Articles: 1000, Seed: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

var linkRE = regexp.MustCompile(`\]\(/tin-tuc/([a-z0-9-]+)/\)`)

// TestArticlesParseAndLookReal parses a few hundred articles with the real front matter
// parser and checks every field and the shape of the bodies.
func TestArticlesParseAndLookReal(t *testing.T) {
	const n = 400
	reg := province.Default()
	cats := map[string]int{}
	provs := map[string]int{}
	years := map[int]bool{}
	var docTags, tables, bullets, numbered, bold, links, headings, long, short int
	slugs := map[string]bool{}
	var linked []string
	for i := 0; i < n; i++ {
		name, raw := Article(11, i)
		rel := "content/tin-tuc/" + name
		slugs[strings.TrimSuffix(name, ".md")] = true
		if !vietnamese.IsNFC(string(raw)) {
			t.Errorf("%s is not NFC", rel)
		}
		doc, ds := content.Parse(rel, raw, content.Schema{Taxonomies: taxonomies})
		for _, d := range ds {
			t.Errorf("%s: content.Parse: %s", rel, d.String())
		}
		if doc == nil {
			continue
		}
		if doc.Kind != content.Article || doc.Section != Section {
			t.Errorf("%s: kind %v section %q, want an article in %s", rel, doc.Kind, doc.Section, Section)
		}
		if doc.Title == "" || doc.Summary == "" {
			t.Errorf("%s: empty title or summary", rel)
		}
		if doc.Date.Before(FirstDate) || doc.Date.After(LastDate) {
			t.Errorf("%s: date %v outside %v–%v", rel, doc.Date, FirstDate, LastDate)
		}
		if _, off := doc.Date.Zone(); off != 7*3600 {
			t.Errorf("%s: date %v is not at +07:00", rel, doc.Date)
		}
		years[doc.Date.Year()] = true
		ps := doc.Terms.Of("provinces")
		if len(ps) < 1 || len(ps) > 2 {
			t.Errorf("%s: %d provinces, want 1–2", rel, len(ps))
		}
		for _, p := range ps {
			u, ok := reg.Lookup(p)
			if !ok {
				t.Errorf("%s: province %q is not in the registry", rel, p)
				continue
			}
			if !u.Current && !u.MergedOn.IsZero() && !doc.Date.Before(u.MergedOn) {
				t.Errorf("%s: %q had merged into %s by %s", rel, p, u.MergedInto, doc.Date.Format("2006-01-02"))
			}
			provs[u.Name]++
		}
		cs := doc.Terms.Of("categories")
		if len(cs) != 1 {
			t.Errorf("%s: categories %v, want exactly one", rel, cs)
		} else {
			cats[cs[0]]++
		}
		tags := doc.Terms.Of("tags")
		if len(tags) > 4 {
			t.Errorf("%s: %d tags, want at most 4", rel, len(tags))
		}
		for _, tag := range tags {
			if strings.Contains(tag, "/") {
				docTags++
			}
		}
		if doc.Author == "" && doc.Source == "" {
			t.Errorf("%s: neither author nor source", rel)
		}
		body := string(doc.Body)
		words := len(strings.Fields(body))
		if words < MinWords || words > MaxWords+400 {
			t.Errorf("%s: body has %d words, want %d–%d", rel, words, MinWords, MaxWords)
		}
		if words > 1500 {
			long++
		}
		if words < 400 {
			short++
		}
		if strings.Contains(body, "{") {
			t.Errorf("%s: unexpanded placeholder in body: %q", rel, body[strings.Index(body, "{"):min(len(body), strings.Index(body, "{")+30)])
		}
		if strings.Contains(body, "\n|:---") || strings.Contains(body, "\n|---") {
			tables++
		}
		if strings.Contains(body, "\n- ") {
			bullets++
		}
		if strings.Contains(body, "\n1. ") {
			numbered++
		}
		if strings.Contains(body, "**") {
			bold++
		}
		if strings.Contains(body, "](") {
			links++
		}
		if strings.Contains(body, "\n## ") {
			headings++
		}
		for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
			linked = append(linked, m[1])
		}
	}
	for _, s := range linked {
		if !slugs[s] {
			t.Errorf("internal link to /tin-tuc/%s/, which is not an article of the corpus", s)
		}
	}
	if len(cats) < 11 {
		t.Errorf("only %d categories used: %v", len(cats), cats)
	}
	if !years[2007] || !years[2026] || len(years) < 18 {
		t.Errorf("dates cover %d years; want 2007 through 2026", len(years))
	}
	// Skew: the most frequent province far above the uniform share.
	counts := make([]int, 0, len(provs))
	total := 0
	for _, c := range provs {
		counts = append(counts, c)
		total += c
	}
	slices.Sort(counts)
	if top := counts[len(counts)-1]; float64(top) < 4*float64(total)/63 {
		t.Errorf("province distribution is not skewed: top %d of %d", top, total)
	}
	if len(provs) < 30 {
		t.Errorf("only %d provinces used", len(provs))
	}
	for what, got := range map[string]int{
		"document-number tags": docTags, "tables": tables, "bullet lists": bullets, "numbered lists": numbered,
		"bold": bold, "links": links, "headings": headings, "long bodies": long, "short bodies": short,
	} {
		if got < n/50 {
			t.Errorf("%s in only %d of %d articles", what, got, n)
		}
	}
	if len(linked) == 0 {
		t.Error("no article links to another article")
	}
}

func TestTagsTable(t *testing.T) {
	tb := getTables()
	if len(tb.allTags) != 300 {
		t.Errorf("%d tags, want 300", len(tb.allTags))
	}
	seen := map[string]bool{}
	for _, tag := range tb.allTags {
		if seen[tag] {
			t.Errorf("duplicate tag %q", tag)
		}
		seen[tag] = true
		if vietnamese.Slug(tag) == "" {
			t.Errorf("tag %q has an empty slug", tag)
		}
	}
	for _, want := range []string{"Nghị định 64/2007/NĐ-CP", "Quyết định 2599/QĐ-UBND"} {
		if !seen[want] {
			t.Errorf("tag list lacks %q", want)
		}
	}
}

func TestHelpers(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{5, "5"}, {999, "999"}, {1000, "1.000"}, {123456, "123.456"}, {1234567, "1.234.567"}} {
		if got := thousands(c.n); got != c.want {
			t.Errorf("thousands(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`Hội nghị "A"`, `"Hội nghị \"A\""`}, {`a\b`, `"a\\b"`}, {"đ", `"đ"`},
	} {
		if got := yamlQuote(c.in); got != c.want {
			t.Errorf("yamlQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		want int
	}{{"Nghị định 64/2007/NĐ-CP", 2007}, {"Quyết định 2599/QĐ-UBND", 0}, {"Luật Giao dịch điện tử 2023", 2023}, {"Kế hoạch 12345/KH", 0}} {
		if got := yearIn(c.in); got != c.want {
			t.Errorf("yearIn(%q) = %d, want %d", c.in, got, c.want)
		}
	}
	if got := capitalize("đồng chí"); got != "Đồng chí" {
		t.Errorf("capitalize = %q", got)
	}
	if got := issuer("Nghị định 64/2007/NĐ-CP"); got != " của Chính phủ" {
		t.Errorf("issuer = %q", got)
	}
}
