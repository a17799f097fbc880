package content

import (
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v2"

	"github.com/vnportal/portal/internal/corpus"
)

// viaYAML is what yaml.v2 alone makes of data (the reference), or its error.
func viaYAML(data string) (map[string]any, error) {
	m := map[string]any{}
	err := yaml.Unmarshal([]byte(data), &m)
	return m, err
}

// TestSimpleYAMLIsYAMLv2: whatever front matter the simple reader accepts, yaml.v2 decodes
// to the same values; what it refuses (anything it cannot be sure of) goes to yaml.v2.
func TestSimpleYAMLIsYAMLv2(t *testing.T) {
	accept := []string{
		"title: \"Hội nghị\"\n",
		"title: \"Hội nghị\"",
		"title: \"a: b # c, 'd' & *e !f %g @h `i` [j] {k} - l\"\ndate: 2024-05-01T08:00:00+07:00\n",
		"date: 2024-05-01T08:00:00Z\nlastmod: 2024-13-45T99:99:99-11:30\n",
		"tags: [\"Nghị định 64/2007/NĐ-CP\", \"Chính phủ điện tử\"]\nprovinces: [\"Huế\"]\n",
		"publishDate: \"\"\nimage_alt: \" có dấu cách \"\n",
		"tags: [\"a, b\", \"c]\", \"[d\"]\n",
		"yesno: \"x\"\nnone: \"y\"\nontime: \"z\"\n",
		"title: \"\u00a0nbsp\U0001F600\"\n",
		// Plain words, flow lists of them and block lists, as staff write them.
		"title: a\n", "tags: [a, b]\n", "tags:\n  - \"a\"\n",
		"title: Hội nghị tổng kết công tác năm 2024\nauthor: Kim Oanh\n",
		"title: Nghị định 64/2007/NĐ-CP, \"trích\" 'dẫn' (mới) - x & y * z ! % @ ` | > ? ~ = + 1.5\n",
		"title: Đà Nẵng  hai dấu cách\n", "title: a [b] {c} d,e\n", "title: Yes sir\nx: Nope\nz: Truely\nw: onion\n",
		"tags: [Chính phủ điện tử, Nghị định 61/2018/NĐ-CP, \"a, b\"]\nprovinces: [Huế]\n",
		"tags:\n  - Chính phủ điện tử\n  - \"Nghị định 61/2018/NĐ-CP\"\ntitle: a\n",
		"tags:\n- a\n- b\ntitle: \"x\"\n", "tags:\n    - a\n    - b\ncategories:\n  - c\n",
		"title: a\ndate: 2024-05-01T08:00:00+07:00\ntags:\n  - x\n",
		"date: 2024-05-01\n", "issued: 2008-08-18\neffective: 2008-02-31\nx: 0000-00-00\n",
	}
	refuse := []string{
		"title: \"a \u2028b\"\n", "title: \"a\u2029 b\"\n", strings.Repeat("k", 1100) + ": \"a\"\n",
		"", "\n", "title: \"a\"\n\ndate: 2024-05-01T08:00:00+07:00\n", "# c\ntitle: \"a\"\n",
		"title: 'a'\n", "title: \"a\\\"b\"\n", "title: \"a\" # c\n", "title: \"a\" \n", "title:  \"a\"\n",
		"title: \"a\tb\"\n", "title: \"a\u0085b\"\n", "title: \"a\ufeffb\"\n", "title: \"a\x80b\"\n",
		"yes: \"a\"\n", "no: \"a\"\n", "on: \"a\"\n", "off: \"a\"\n", "y: \"a\"\n", "n: \"a\"\n", "true: \"a\"\n", "null: \"a\"\n",
		"Title: \"a\"\n", "_x: \"a\"\n", "x1: \"a\"\n", "title: \"a\"\ntitle: \"b\"\n",
		"tags: []\n", "tags: [\"a\",\"b\"]\n", "tags: [\"a\" , \"b\"]\n", "tags: [\"a\"] \n",
		"date: 2024-05-01 08:00:00\n", "date: 2024-5-1\n", "date: 2024-05-011\n", "date: 2024_05_01\n", "date: 20240-5-01\n", "date: 2024-05-01T08:00:00.5Z\n", "date: 2024-05-01T08:00:00+0700\n",
		"weight: 3\n", "draft: false\n", "title: \"a\"\r\n",
		// Plain words YAML reads otherwise, or cannot be sure of.
		"title: yes\n", "title: No\n", "title: ON\n", "title: null\n", "title: Null\n", "title: y\n", "title: FALSE\n",
		"title: 12 tỉnh\n", "title: -a\n", "title: .inf\n", "title: ~\n", "title: a \n", "title: a #b\n", "title: a:b\n",
		"title: a: b\n", "title: a\tb\n", "title: a\u2028b\n", "title: \u0301a\n", "title: *a\n", "title: &a b\n", "title: !x a\n",
		"title: |\n", "title: >\n", "title: %a\n", "title: @a\n", "title: `a`\n", "title: a\r\n", "title: 'a' b\n",
		"tags: [a, yes]\n", "tags: [a , b]\n", "tags: [a,b]\n", "tags: [a, [b]]\n", "tags: [a, {b}]\n", "tags: [a, b c]x\n",
		"tags:\n", "tags:\ntitle: a\n", "tags:\n  - a\n - b\n", "tags:\n  - a\n    - b\n", "tags:\n  -a\n", "tags:\n  -  a\n",
		"tags:\n  - \n", "tags:\n  -\n", "tags:\n  - a: b\n", "tags:\n  - - a\n", "tags:\n  - no\n", "tags:\n\t- a\n",
		"tags:\n  - a\n  b\n", "tags: \n  - a\n", "- a\n", "tags:\n  - a\ntags:\n  - b\n",
	}
	for _, data := range accept {
		m := map[string]any{}
		if !simpleYAML([]byte(data), m) {
			t.Errorf("refused %q", data)
			continue
		}
		want, err := viaYAML(data)
		if err != nil || !reflect.DeepEqual(m, want) {
			t.Errorf("%q: %#v, yaml.v2 %#v (%v)", data, m, want, err)
		}
	}
	for _, data := range refuse {
		m := map[string]any{}
		if simpleYAML([]byte(data), m) {
			t.Errorf("accepted %q: %#v", data, m)
		}
		if len(m) != 0 {
			t.Errorf("%q: refused but left %#v", data, m)
		}
	}

	// Both generated corpora: every article's front matter read without yaml.v2, to the
	// same values.
	for _, mode := range []corpus.Mode{corpus.ModeProse, corpus.ModeTemplate} {
		dir := t.TempDir()
		if _, err := corpus.GenerateContext(context.Background(), dir, corpus.Options{Articles: 300, Seed: 3, Mode: mode}); err != nil {
			t.Fatal(err)
		}
		files, simple := 0, 0
		err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rest, ok := strings.CutPrefix(string(src), "---\n")
			data, _, ok2 := strings.Cut(rest, "\n---\n")
			if !ok || !ok2 {
				t.Errorf("%s: no YAML front matter", p)
				return nil
			}
			files++
			m := map[string]any{}
			if simpleYAML([]byte(data+"\n"), m) {
				simple++
				if want, err := viaYAML(data + "\n"); err != nil || !reflect.DeepEqual(m, want) {
					t.Errorf("%s: %#v, yaml.v2 %#v (%v)", p, m, want, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if files < 300 || simple < files*9/10 {
			t.Errorf("%s corpus: %d of %d front matters read without yaml.v2, want nine in ten", mode, simple, files)
		}
	}
}

// TestSplitSimpleFrontMatterAllocations: splitting an article of the usual shape decodes
// its front matter without yaml.v2: 68 allocations for this one, 199 with yaml.v2.
func TestSplitSimpleFrontMatterAllocations(t *testing.T) {
	src := []byte("---\ntitle: \"Kiểm tra tình hình tuyên truyền tại huyện Yên Thành\"\ndate: 2018-09-16T09:53:00+07:00\n" +
		"provinces: [\"Bến Tre\"]\ncategories: [\"Kiểm tra\"]\ntags: [\"Chính phủ điện tử\", \"Nghị định 61/2018/NĐ-CP\"]\n" +
		"source: \"Cục Chuyển đổi số quốc gia\"\nsummary: \"Với 1547 bài tham luận.\"\n---\n\nĐoạn một.\n")
	fm, body, line, format, err := split(src)
	if err != nil || format != fmYAML || line != 10 || string(body) != "\nĐoạn một.\n" {
		t.Fatalf("split: %v, %q at line %d, format %d", err, body, line, format)
	}
	want, _ := viaYAML(string(src[4:strings.Index(string(src), "\n---\n")]))
	if !reflect.DeepEqual(fm, normalizeMap(want)) {
		t.Fatalf("front matter %#v, want %#v", fm, want)
	}
	allocs := testing.AllocsPerRun(50, func() {
		if _, _, _, _, err := split(src); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 100 {
		t.Errorf("split took %.0f allocations, want at most 100 (yaml.v2 decoding the front matter?)", allocs)
	}
	t.Logf("%.0f allocations", allocs)
}

// FuzzSimpleYAMLIsYAMLv2: for any bytes the simple reader accepts, yaml.v2 gives no error
// and the same values; what it refuses is yaml.v2's to decide.
func FuzzSimpleYAMLIsYAMLv2(f *testing.F) {
	for _, s := range []string{
		"title: \"Hội nghị\"\n",
		"title: \"a \u2028b\"\n",
		"title: \"a\u2029 b\"\ntags: [\"x\", \"y\"]\n",
		"tags: [\"a\", \"b\"]\ndate: 2024-05-01T08:00:00+07:00\n",
		"date: 2024-13-45T99:99:99Z\n",
		"title: \"x\"\ntitle: \"y\"\n",
		"a_B: \"\u00a0\"\n",
		"title: Hội nghị\ntags: [a, \"b\"]\n",
		"tags:\n  - a\n  - \"b\"\nx: y\n",
		"tags:\n- a\n- b\n",
		"issued: 2008-08-18\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := map[string]any{}
		if !simpleYAML(data, m) {
			return
		}
		want, err := viaYAML(string(data))
		if err != nil {
			t.Fatalf("%q: the simple reader accepted what yaml.v2 refuses: %v", data, err)
		}
		if !reflect.DeepEqual(m, want) {
			t.Fatalf("%q: simple reader %#v, yaml.v2 %#v", data, m, want)
		}
	})
}

// TestPlainFrontMatterWithoutYAMLv2: front matter written by hand, without quotes, with a
// block list and a date alone, is read by the simple reader to yaml.v2's values, in a
// quarter of yaml.v2's allocations (39 against 204).
func TestPlainFrontMatterWithoutYAMLv2(t *testing.T) {
	data := []byte("title: Hội nghị tổng kết công tác chuyển đổi số năm 2024\ndate: 2024-05-01T08:00:00+07:00\n" +
		"issued: 2024-04-28\nauthor: Kim Oanh\nprovinces: [Hà Tĩnh]\ncategories: [Chuyển đổi số, Tin tức]\n" +
		"tags:\n  - Chính phủ điện tử\n  - Nghị định 61/2018/NĐ-CP\nsummary: Sở Thông tin và Truyền thông tổ chức hội nghị tổng kết.\n")
	m := map[string]any{}
	if !simpleYAML(data, m) {
		t.Fatalf("refused %q", data)
	}
	want, err := viaYAML(string(data))
	if err != nil || !reflect.DeepEqual(m, want) {
		t.Fatalf("%#v, yaml.v2 %#v (%v)", m, want, err)
	}
	simple := testing.AllocsPerRun(50, func() {
		if err := decodeYAML(data, &map[string]any{}); err != nil {
			t.Fatal(err)
		}
	})
	library := testing.AllocsPerRun(50, func() { _, _ = viaYAML(string(data)) })
	if simple*4 > library {
		t.Errorf("decodeYAML took %.0f allocations, yaml.v2 %.0f: want a quarter or less", simple, library)
	}
	t.Logf("%.0f allocations, yaml.v2 %.0f", simple, library)
}

// TestSimpleYAMLRandomShapes: front matters put together at random from the pieces the
// simple reader decides on (plain words, quotes, indicators, the boolean and null words,
// digits, dates, block and flow lists, indentation): whatever it accepts, yaml.v2 reads
// to the same values.
func TestSimpleYAMLRandomShapes(t *testing.T) {
	pieces := []string{"a", "Hà", "Tĩnh", "Đ", "x", " ", "  ", ",", ", ", "#", " #", ":", ": ", "-", "- ", "[", "]", "{", "}",
		"'", "\"", "\\", "0", "12", "1.5", "yes", "No", "ON", "null", "~", "y", "\t", ".", "&", "*", "!", "|", ">", "%", "@",
		"`", "?", "=", "+", "/", "2024-05-01", "T08:00:00Z", "_", "\u00a0", "\u2028", "\u0301", "\ufeff", "é", "ư"}
	letters := []string{"a", "Hà", "Tĩnh", "Đ", "x", "é", "ư", "Nghị định", "yes", "n"}
	word := func(r *rand.Rand) string {
		var b strings.Builder
		if r.IntN(4) > 0 { // most words start with a letter
			b.WriteString(letters[r.IntN(len(letters))])
		}
		for n := r.IntN(4); n > 0; n-- {
			if r.IntN(2) == 0 {
				b.WriteString(letters[r.IntN(len(letters))])
			} else {
				b.WriteString(pieces[r.IntN(len(pieces))])
			}
		}
		if b.Len() == 0 {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	keys := []string{"title", "tags", "summary", "date", "issued", "tags"}
	r := rand.New(rand.NewPCG(22, 1))
	accepted := 0
	const cases = 40000
	for range cases {
		var b strings.Builder
		for n := 1 + r.IntN(3); n > 0; n-- {
			b.WriteString(keys[r.IntN(len(keys))])
			switch r.IntN(4) {
			case 0, 1:
				b.WriteString(": " + word(r) + "\n")
			case 2:
				b.WriteString(": [" + word(r))
				for m := r.IntN(3); m > 0; m-- {
					b.WriteString(", " + word(r))
				}
				b.WriteString("]\n")
			case 3:
				b.WriteString(":\n")
				indent := strings.Repeat(" ", r.IntN(3))
				for m := 1 + r.IntN(3); m > 0; m-- {
					if r.IntN(8) == 0 {
						indent = strings.Repeat(" ", r.IntN(3))
					}
					b.WriteString(indent + "- " + word(r) + "\n")
				}
			}
		}
		data := b.String()
		m := map[string]any{}
		if !simpleYAML([]byte(data), m) {
			continue
		}
		accepted++
		want, err := viaYAML(data)
		if err != nil || !reflect.DeepEqual(m, want) {
			t.Fatalf("%q: simple reader %#v, yaml.v2 %#v (%v)", data, m, want, err)
		}
	}
	if accepted < cases/10 {
		t.Errorf("%d of %d accepted: the test says little", accepted, cases)
	}
	t.Logf("%d of %d accepted", accepted, cases)
}
