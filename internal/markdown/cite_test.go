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
