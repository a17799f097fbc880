package content

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, every diagnostic must
// name the file with a line and column that are not negative and a message, and a
// returned document must hold only NFC text.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: \"Hội nghị\"\ndate: 2024-05-29\nprovinces: [\"Hà Tĩnh\"]\n---\nNội dung.\n",
		"+++\ntitle = \"Hội nghị\"\ndate = 2024-05-29\ntags = [\"a\", \"b\"]\n+++\nNội dung.\n",
		"{\n  \"title\": \"Hội nghị\",\n  \"date\": \"2024-05-29\"\n}\n\nNội dung.\n",
		"---\ntitle: \"Ha\u0300 Ti\u0303nh\"\ndate: 2024-05-29\n---\nHo\u0300a Bi\u0300nh\n",
		"\uFEFF---\r\ntitle: x\r\ndate: 2024-05-29\r\n---\r\nbody\r\n",
		"---\ntitle: x\ndate: 2020-01-01\ntags: [a, b\n---\nbody\n",
		"---\ntitle: x\n  date: 2020-01-01\n---\n",
		"+++\ntitle = \"x\"\ndate = = 2020\n+++\n",
		"{\n  \"title\": \"x\",\n  \"date\": 2020-01-01\n}\n\nbody\n",
		"---\ntitle: x\ndate: 2020-01-01\n",
		"---\ntitle: x\ndate: 31/02/abc\ndraft: \"yes\"\nweight: [1]\naliases: {a: 1}\n---\n",
		"---\ntitle: &a [*a]\n---\n",
		"---\n- 1\n- 2\n---\n",
		"---\ntitle: !!binary aGVsbG8=\ndate: 2024-01-01T25:61:00\n---\n",
		"no front matter at all",
		"",
		"---\n---\n",
		"---\ntitle: \"\\xff\"\ndate: 2024-01-01\nsummary: \"\u0000\"\n---\n",
		"+++\ntitle = \"x\"\nx = " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n+++\n",
		"---\ntitle: x\ndate: 2024-01-01\n---\n" + strings.Repeat(">", 500) + " trích\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		const rel = "content/tin-tuc/bai-viet.md"
		doc, ds := Parse(rel, raw, Schema{Taxonomies: []string{"provinces", "categories", "tags"}})
		for _, d := range ds {
			if d.Line < 0 || d.Col < 0 {
				t.Errorf("diagnostic with a negative position: %+v", d)
			}
			if d.Path != rel || d.Message == "" {
				t.Errorf("diagnostic without path or message: %+v", d)
			}
		}
		if doc == nil {
			if len(ds) == 0 {
				t.Errorf("no document and no diagnostic")
			}
			return
		}
		if doc.BodyLine < 1 {
			t.Errorf("BodyLine %d", doc.BodyLine)
		}
		texts := []string{doc.Title, doc.Summary, doc.Author, doc.Source, doc.Image, doc.ImageAlt,
			doc.Slug, doc.URL, doc.Description, doc.Name, doc.Section}
		texts = append(texts, doc.Aliases...)
		for _, l := range doc.Terms {
			texts = append(texts, l.Values...)
		}
		if utf8.Valid(raw) {
			texts = append(texts, string(doc.Body))
		}
		for _, s := range texts {
			if utf8.ValidString(s) && !vietnamese.IsNFC(s) {
				t.Errorf("text not in NFC: %+q", s)
			}
		}
		checkParamsNFC(t, doc.Params)
	})
}

// checkParamsNFC checks every string (keys and values) of decoded front matter.
func checkParamsNFC(t *testing.T, v any) {
	switch x := v.(type) {
	case string:
		if utf8.ValidString(x) && !vietnamese.IsNFC(x) {
			t.Errorf("front matter value not in NFC: %+q", x)
		}
	case map[string]any:
		for k, e := range x {
			checkParamsNFC(t, k)
			checkParamsNFC(t, e)
		}
	case []any:
		for _, e := range x {
			checkParamsNFC(t, e)
		}
	}
}

func TestImageField(t *testing.T) {
	for v, ok := range map[string]bool{
		"anh.jpg": true, "/anh/hoi-nghi.jpg": true, "https://cdn.example.gov.vn/a.jpg": true, "http://x.vn/a.png": true,
		"//evil.example/x.png": false, "javascript:alert(1)": false, "data:image/png;base64,AAAA": false,
		"../../etc/passwd": false, "ftp://x/a.png": false, "anh hoi nghi.jpg": true, "a\\b.jpg": false,
	} {
		raw := "---\ntitle: \"Bài\"\ndate: 2024-01-01\nimage: \"" + v + "\"\n---\nx\n"
		doc, ds := Parse("content/tin-tuc/a.md", []byte(raw), Schema{})
		bad := false
		for _, d := range ds {
			bad = bad || (d.Code == "image-url" && d.Line == 4)
		}
		if bad == ok || (ok && doc.Image != v) {
			t.Errorf("image %q: reported %v, kept %q", v, bad, doc.Image)
		}
	}
}

// Hardening II, item 13: a YAML alias bomb gets a message about aliases, not the hint
// about indentation and quotes.
func TestYAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: \"Bài\"\ndate: 2024-01-01\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n")
	for i, prev := 'b', 'a'; i <= 'j'; i, prev = i+1, i {
		fmt.Fprintf(&b, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n", i, i, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	b.WriteString("---\nx\n")
	_, ds := Parse("content/tin-tuc/a.md", []byte(b.String()), Schema{})
	found := false
	for _, d := range ds {
		if strings.Contains(d.Message, "bí danh") && !strings.Contains(d.Message, "thụt lề") {
			found = true
		}
	}
	if !found {
		t.Errorf("no message about aliases: %v", ds)
	}
}

// The staff issue, item 4: a list written as text is split, with a warning showing the
// list it became.
func TestCommaStringBecomesAList(t *testing.T) {
	raw := "---\ntitle: \"Bài\"\ndate: 2024-01-01\ntags: Chuyển đổi số, Nghị định 42 ,\nprovinces: Hà Tĩnh\n---\nx\n"
	doc, ds := Parse("content/tin-tuc/a.md", []byte(raw), Schema{Taxonomies: []string{"provinces", "tags"}})
	if doc == nil || !slices.Equal(doc.Terms.Of("tags"), []string{"Chuyển đổi số", "Nghị định 42"}) || !slices.Equal(doc.Terms.Of("provinces"), []string{"Hà Tĩnh"}) {
		t.Fatalf("terms %v, %v", doc.Terms, ds)
	}
	if len(ds) != 1 || ds[0].Line != 4 || !strings.Contains(ds[0].Message, `["Chuyển đổi số", "Nghị định 42"]`) {
		t.Errorf("diagnostics %v; want one warning at line 4 showing the list", ds)
	}
}
