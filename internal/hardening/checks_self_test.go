package hardening

import (
	"strings"
	"testing"
)

// TestScannersCatch proves the checkers used by the injection test see what they must:
// a checker that finds nothing would make TestInjection pass vacuously.
func TestScannersCatch(t *testing.T) {
	badHTML := []string{
		`<p>x</p><script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="java&#x09;script:alert(1)">x</a>`,
		`<a href=" JAVASCRIPT:alert(1)">x</a>`,
		`<img src="data:image/png;base64,AAAA">`,
		`<iframe src="/x"></iframe>`,
		`<script src="https://evil.example/x.js"></script>`,
		`<script src="/js/site.js">alert(1)</script>`,
		`<script type="application/ld+json">{"a":"</script><script>alert(1)</script>"}</script>`,
		`<svg><script>alert(1)</script></svg>`,
		`<meta http-equiv="refresh" content="0; url=javascript:alert(1)">`,
		`<img srcset="javascript:alert(1) 1x">`,
	}
	for _, h := range badHTML {
		if s := scanHTML([]byte(h)); len(s.problems) == 0 {
			t.Errorf("scanHTML found nothing in %s", h)
		}
	}
	goodHTML := `<!DOCTYPE html><html><head><script src="/js/site.0123456789.js" defer></script>` +
		`<script type="application/ld+json">{"headline":"\u003cscript\u003e"}</script></head>` +
		`<body><h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><a href="/tin-tuc/">x</a><img src="/a.png" alt="&#34;&gt;"></body></html>`
	s := scanHTML([]byte(goodHTML))
	if len(s.problems) != 0 {
		t.Errorf("scanHTML flags a safe page: %v", s.problems)
	}
	if want := "<script>alert(1)</script>"; !strings.Contains(s.text, want) {
		t.Errorf("scanHTML text %q lacks the escaped payload %q", s.text, want)
	}

	badXML := []string{
		`<rss><channel><title>a ]]> b</title></channel></rss>`,
		`<rss><channel><description><script>alert(1)</script></description></channel></rss>`,
		`<rss><channel><description>&lt;script&gt;alert(1)&lt;/script&gt;</description></channel></rss>`,
		`<rss><channel><link>javascript:alert(1)</link></channel></rss>`,
		`<rss><channel><title>unclosed</channel></rss>`,
	}
	for _, x := range badXML {
		if p := scanXML([]byte(x)); len(p) == 0 {
			t.Errorf("scanXML found nothing in %s", x)
		}
	}
	if p := scanXML([]byte(`<?xml version="1.0"?><rss><channel><title>&lt;b&gt;</title><description>&amp;lt;script&amp;gt;</description></channel></rss>`)); len(p) != 0 {
		t.Errorf("scanXML flags a safe feed: %v", p)
	}
}
