package markdown

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCitations(t *testing.T) {
	src := "# Về Nghị định 64/2007/NĐ-CP\n\n" +
		"Theo Nghị định số 64/2007/NĐ-CP và *Quyết định 2599/QĐ-UBND*, xem [Nghị định 42/2022/NĐ-CP](/x/),\n" +
		"`16/NQ-TU` trong mã, <https://example.gov.vn/64/2007/NĐ-CP>.\n\n" +
		"```\n57-NQ/TW\n```\n\n" +
		norm.NFD.String("Nghị quyết số 16/NQ-TU") + " &amp; 03/2008/TTLT-BNV-BTC\n"
	res, err := New(Options{}).Render([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	var got []string
	for _, c := range res.Citations {
		got = append(got, c.Key+"="+html[c.Start:c.End])
	}
	want := []string{
		"64-2007-nd-cp=Nghị định 64/2007/NĐ-CP", // in the heading's text
		"64-2007-nd-cp=Nghị định số 64/2007/NĐ-CP",
		"2599-qd-ubnd=Quyết định 2599/QĐ-UBND",
		"16-nq-tu=Nghị quyết số 16/NQ-TU", // NFD in the source
		"03-2008-ttlt-bnv-btc=03/2008/TTLT-BNV-BTC",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("citations:\n%s\nwant:\n%s\nHTML:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), html)
	}
	if res.Headings[0].ID != "ve-nghi-dinh-64-2007-nd-cp" {
		t.Errorf("heading id %q", res.Headings[0].ID)
	}
	if res.Citations[1].Line != 3 || res.Citations[1].Col != 6 {
		t.Errorf("position %d:%d, want 3:6", res.Citations[1].Line, res.Citations[1].Col)
	}
	if !strings.Contains(res.Text, "Theo Nghị định số 64/2007/NĐ-CP và Quyết định 2599/QĐ-UBND, xem") {
		t.Errorf("text changed: %q", res.Text)
	}
}

// FuzzCitations: whatever the Markdown, each citation's range is inside the HTML, in
// order, and its HTML is the number's text (escaping aside, numbers have nothing to escape).
func FuzzCitations(f *testing.F) {
	for _, s := range []string{"Nghị định số 64/2007/NĐ-CP", "*Quyết định 2599/QĐ-UBND*[^1]\n\n[^1]: 16/NQ-TU", "# 57-NQ/TW {#x}", "| 1/QĐ-UB |\n|---|\n| 2/QĐ-UB |"} {
		f.Add(s)
	}
	r := New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, src string) {
		res, err := r.Render([]byte(src))
		if err != nil {
			return
		}
		at := 0
		for _, c := range res.Citations {
			if c.Start < at || c.End > len(res.HTML) || c.Start >= c.End {
				t.Fatalf("citation %+v out of order or range (HTML %d bytes)", c, len(res.HTML))
			}
			if !strings.HasSuffix(string(res.HTML[c.Start:c.End]), c.Number) {
				t.Fatalf("citation %+v covers %q", c, res.HTML[c.Start:c.End])
			}
			at = c.End
		}
	})
}
