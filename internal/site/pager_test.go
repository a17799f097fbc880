package site

import (
	"fmt"
	"strings"
	"testing"
)

func TestPagerWindow(t *testing.T) {
	urls := make([]string, 1000)
	for i := range urls {
		urls[i] = fmt.Sprintf("/p/%d/", i+1)
	}
	show := func(p *Pager) string {
		var parts []string
		for _, l := range p.Window() {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, fmt.Sprintf("[%d]", l.Number))
			default:
				parts = append(parts, fmt.Sprint(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}
	cases := []struct {
		n, total int
		want     string
	}{
		{1, 1, "[1]"},
		{1, 3, "[1] 2 3"},
		{1, 1000, "[1] 2 3 … 1000"},
		{500, 1000, "1 … 498 499 [500] 501 502 … 1000"},
		{4, 1000, "1 2 3 [4] 5 6 … 1000"},
		{1000, 1000, "1 … 998 999 [1000]"},
	}
	for _, c := range cases {
		p := &Pager{Number: c.n, Total: c.total, URLs: urls[:c.total]}
		if got := show(p); got != c.want {
			t.Errorf("page %d of %d: %q, want %q", c.n, c.total, got, c.want)
		}
	}
	if w := (&Pager{Number: 500, Total: 1000, URLs: urls}).Window(); w[3].URL != "/p/499/" {
		t.Errorf("window links to %s, want /p/499/", w[3].URL)
	}
}
