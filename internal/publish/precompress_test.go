package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// gunzip decompresses a sibling and checks its header carries no name and no time.
func gunzip(t *testing.T, rel string, gz []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" || zr.Extra != nil {
		t.Errorf("%s: gzip header has name %q, time %v, comment %q, extra %q; want none (reproducible bytes)", rel, zr.Name, zr.ModTime, zr.Comment, zr.Extra)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return string(b)
}

// incompressible returns n bytes of noise (with a few words, to be kept in a text file)
// that gzip cannot shrink by a tenth.
func incompressible(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return "nhiễu: " + string(b)
}

var (
	bigHTML = "<!DOCTYPE html><title>Lớn</title>" + strings.Repeat("<p>Ủy ban nhân dân tỉnh Hà Tĩnh họp phiên thường kỳ tháng 5.</p>\n", 60)
	bigJSON = "[" + strings.Repeat(`{"ten":"Xã Thạch Hà","ma":"18-001"},`, 200) + `{}]`
)

// precompressFiles is one generation: what gets a sibling and what does not.
var precompressFiles = map[string]string{
	"index.html":                 bigHTML,                                                                       // sibling
	"tin-tuc/bai-a/index.html":   strings.ReplaceAll(bigHTML, "Hà Tĩnh", "Nghệ An"),                             // sibling
	"du-lieu/xa.json":            bigJSON,                                                                       // sibling
	"site.webmanifest":           `{"name":"Cổng","icons":[` + strings.Repeat(`{"src":"/a.png"},`, 80) + `{}]}`, // sibling
	"nho.html":                   "<p>nhỏ</p>",                                                                  // too small
	"ngau-nhien.txt":             incompressible(8 << 10),                                                       // gzip saves too little
	"anh/anh.png":                strings.Repeat("\x00", 4096),                                                  // not text
	"tai-lieu/bang.csv":          strings.Repeat("a,b,c\n", 1000),                                               // not in the list
	".an/index.html":             bigHTML,                                                                       // hidden: never served
	"tep.html.gz/khong-phai.txt": strings.Repeat("thư mục tên .gz\n", 100),                                      // sibling (a folder named *.gz is fine)
}

var precompressWant = []string{"index.html", "tin-tuc/bai-a/index.html", "du-lieu/xa.json", "site.webmanifest", "tep.html.gz/khong-phai.txt"}

func TestPrecompressWritesDeterministicSiblings(t *testing.T) {
	for i, opts := range []Options{{Precompress: true, Workers: 1}, {Precompress: true, Workers: 7, Minify: true, Durable: true}} {
		dest := newDest(t, nil)
		w, err := Begin(context.Background(), dest, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		for _, rel := range slices.Sorted(maps.Keys(precompressFiles)) {
			kind := Page
			if i == 1 && strings.HasSuffix(rel, ".json") {
				kind = Final
			}
			if err := w.Add(File{Rel: rel, Data: []byte(precompressFiles[rel]), Source: "src/" + rel, Kind: kind}); err != nil {
				t.Fatal(err)
			}
		}
		// A reserved folder (the search index) is left alone.
		dir, err := w.Reserve("tim-kiem-chi-muc", "the search index")
		if err != nil {
			t.Fatal(err)
		}
		sitetest.WriteFiles(t, dir, map[string]string{"manifest.json": bigJSON})
		st, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		got := sitetest.ReadTree(t, dest)
		var gzBytes int64
		for rel, body := range got {
			if strings.HasSuffix(rel, GzipSuffix) {
				gzBytes += int64(len(body))
				orig := strings.TrimSuffix(rel, GzipSuffix)
				if !slices.Contains(precompressWant, orig) {
					t.Errorf("unexpected sibling %s", rel)
				}
				if gunzip(t, rel, []byte(body)) != got[orig] {
					t.Errorf("%s does not decompress to %s", rel, orig)
				}
				if !keepSibling(int64(len(body)), int64(len(got[orig]))) {
					t.Errorf("%s: %d bytes for %d: kept although it saves less than a tenth", rel, len(body), len(got[orig]))
				}
			}
		}
		for _, rel := range precompressWant {
			if _, ok := got[rel+GzipSuffix]; !ok {
				t.Errorf("no sibling for %s", rel)
			}
		}
		if st.Precompressed != len(precompressWant) || st.PrecompressedBytes != gzBytes {
			t.Errorf("stats: %d siblings of %d bytes, want %d of %d", st.Precompressed, st.PrecompressedBytes, len(precompressWant), gzBytes)
		}
		if want := len(precompressFiles) + 1; st.Files != want {
			t.Errorf("Files = %d, want %d (siblings are not counted there)", st.Files, want)
		}
	}
	// The same input published twice gives the same bytes, with 3 workers or 1.
	a, b := newDest(t, nil), newDest(t, nil)
	publishAll(t, a, Options{Precompress: true, Minify: true, Workers: 3}, precompressFiles)
	time.Sleep(10 * time.Millisecond) // a different clock for the second run
	publishAll(t, b, Options{Precompress: true, Minify: true, Workers: 1}, precompressFiles)
	if ta, tb := sitetest.ReadTree(t, a), sitetest.ReadTree(t, b); !maps.Equal(ta, tb) {
		t.Error("two builds of the same input differ")
	}
}

func TestPrecompressOff(t *testing.T) {
	dest := newDest(t, nil)
	st := publishAll(t, dest, Options{Minify: true}, precompressFiles)
	for rel := range sitetest.ReadTree(t, dest) {
		if strings.HasSuffix(rel, GzipSuffix) {
			t.Errorf("sibling %s written without Options.Precompress", rel)
		}
	}
	if st.Precompressed != 0 {
		t.Errorf("Precompressed = %d", st.Precompressed)
	}
	// Without precompression a file may be called like a sibling.
	publishAll(t, newDest(t, nil), Options{}, map[string]string{"a.json": bigJSON, "a.json.gz": "x"})
}

func TestPrecompressStaticFiles(t *testing.T) {
	src := t.TempDir()
	static := map[string]string{
		"css/a.css":      strings.Repeat("a {  color : red ; }\n", 200),
		"du-lieu/x.json": bigJSON,
		"ban-do.svg":     "<svg xmlns=\"http://www.w3.org/2000/svg\">" + strings.Repeat("<path d=\"M0 0L10 10\"/>", 100) + "</svg>",
	}
	sitetest.WriteFiles(t, src, static)
	dest := newDest(t, nil)
	w, err := Begin(context.Background(), dest, Options{Minify: true, Precompress: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for rel := range static {
		if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(src, filepath.FromSlash(rel)), Source: "static/" + rel, Kind: Static}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	got := sitetest.ReadTree(t, dest)
	for rel := range static {
		gz, ok := got[rel+GzipSuffix]
		if !ok {
			t.Errorf("no sibling for static %s", rel)
			continue
		}
		if gunzip(t, rel, []byte(gz)) != got[rel] { // the minified bytes
			t.Errorf("%s.gz is not %s compressed", rel, rel)
		}
	}
	if st.Precompressed != len(static) {
		t.Errorf("Precompressed = %d", st.Precompressed)
	}
}

func TestPrecompressClaimsSiblingName(t *testing.T) {
	for _, order := range [][]string{{"du-lieu/xa.json", "du-lieu/xa.json.gz"}, {"du-lieu/xa.json.gz", "du-lieu/xa.json"}} {
		dest := newDest(t, nil)
		w, err := Begin(context.Background(), dest, Options{Precompress: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(File{Rel: order[0], Data: []byte(bigJSON), Source: "a"}); err != nil {
			t.Fatal(err)
		}
		err = w.Add(File{Rel: order[1], Data: []byte(bigJSON), Source: "b"})
		if !errors.Is(err, ErrCollision) || !strings.Contains(err.Error(), "bản nén .gz của") {
			t.Errorf("%v: %v, want a collision with the compressed copy", order, err)
		}
		w.Abort()
	}
}

// writeGeneration publishes files (all of kind Page) plus the reused ones (Existing, from
// dest) and returns the stats.
func writeGeneration(t *testing.T, dest string, pages map[string]string, reuse ...string) Stats {
	t.Helper()
	w, err := Begin(context.Background(), dest, Options{Precompress: true, Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for rel, body := range pages {
		if err := w.Add(File{Rel: rel, Data: []byte(body), Source: rel}); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range reuse {
		if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(dest, filepath.FromSlash(rel)), Source: rel, Kind: Existing}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSiblingCurrent(t *testing.T) {
	dir := t.TempDir()
	orig, gz := filepath.Join(dir, "a.html"), filepath.Join(dir, "a.html.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, bigHTML)
	zw.Close()
	check := func(want bool, why string) {
		t.Helper()
		fo, err := os.Stat(orig)
		if err != nil {
			t.Fatal(err)
		}
		fg, err := os.Stat(gz)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(gz)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := SiblingCurrent(fo, fg, f); got != want {
			t.Errorf("%s: SiblingCurrent = %v, want %v", why, got, want)
		}
	}
	now := time.Now()
	sitetest.WriteFiles(t, dir, map[string]string{"a.html": bigHTML, "a.html.gz": buf.String()})
	os.Chtimes(orig, now, now)
	os.Chtimes(gz, now, now)
	check(true, "same time, same size")
	os.Chtimes(gz, now.Add(-time.Second), now.Add(-time.Second))
	check(false, "older sibling")
	os.Chtimes(gz, now.Add(time.Second), now.Add(time.Second))
	check(true, "newer sibling")
	sitetest.WriteFiles(t, dir, map[string]string{"a.html": bigHTML + "x"})
	os.Chtimes(orig, now, now)
	check(false, "the file changed size")
	sitetest.WriteFiles(t, dir, map[string]string{"a.html": bigHTML, "a.html.gz": "ngắn"})
	os.Chtimes(orig, now, now)
	os.Chtimes(gz, now, now)
	check(false, "truncated sibling")
}

func ExampleCompressible() {
	for _, n := range []string{"index.html", "app.JS", "site.webmanifest", "anh.png", "a.json.gz", "bang.csv"} {
		fmt.Println(n, Compressible(n))
	}
	// Output:
	// index.html true
	// app.JS true
	// site.webmanifest true
	// anh.png false
	// a.json.gz false
	// bang.csv false
}

// TestPrecompressibleHiddenSegments checks the rule on every place a hidden segment can
// be, and that the check allocates nothing: it runs for every kept page of every save of
// `portal serve --watch` (keepListed).
func TestPrecompressibleHiddenSegments(t *testing.T) {
	for rel, want := range map[string]bool{
		"index.html":                  true,
		"tin-tuc/bai-viet/index.html": true,
		"a.b/c.css":                   true,
		"x/y..z/feed.xml":             true,
		".search/manifest.json":       false,
		"tin-tuc/.an/index.html":      false,
		"a/b/.hidden.html":            false,
		".well-known/x.json":          false,
		"tin-tuc/anh.jpg":             false,
		"index.html.gz":               false,
	} {
		if got := precompressible(rel); got != want {
			t.Errorf("precompressible(%q) = %v, want %v", rel, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { precompressible("tin-tuc/bai-viet-so-5000/index.html") }); n != 0 {
		t.Errorf("precompressible allocates %.0f times per call, want 0", n)
	}
}
