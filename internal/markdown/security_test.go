package markdown

import (
	"html"
	"html/template"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tdewolff/parse/v2"
	tdhtml "github.com/tdewolff/parse/v2/html"
)

// injections are attacks written in Markdown or raw HTML.
var injections = []string{
	"<script>alert(1)</script>",
	"chữ <script>alert(1)</script> chữ",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	"<scr<script>ipt>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"<img src=\"x\" OnError=\"alert(1)\">",
	"<img/src=x/onerror=alert(1)>",
	"<svg onload=alert(1)>",
	"<svg><script>alert(1)</script></svg>",
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
	"<a href=\"javascript:alert(1)\">x</a>",
	"<a href=\"  JaVaScRiPt:alert(1)\">x</a>",
	"<a href=\"&#106;avascript:alert(1)\">x</a>",
	"<a href=\"java&#x09;script:alert(1)\">x</a>",
	"<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
	"<iframe src=\"https://evil.example\"></iframe>",
	"<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
	"<object data=\"x.swf\"></object>",
	"<embed src=\"x.swf\">",
	"<form action=\"javascript:alert(1)\"><button>Gửi</button></form>",
	"<div style=\"background:url(javascript:alert(1))\">x</div>",
	"<style>*{display:none}</style>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
	"<details open ontoggle=alert(1)>",
	"<body onload=alert(1)>",
	"<!--<img src=x onerror=alert(1)>-->",
	"[x](javascript:alert(1))",
	"[x](JAVASCRIPT:alert(1))",
	"[x](<javascript:alert(1)>)",
	"[x](< javascript:alert(1)>)",
	"[x](&#106;avascript:alert(1))",
	"[x](&#x6A;&#x61;vascript:alert(1))",
	"[x](java&#x09;script:alert(1))",
	"[x](&#x20;javascript:alert(1))",
	"[x](javascript&colon;alert(1))",
	"[x](vbscript:msgbox(1))",
	"[x](data:text/html;base64,PHNjcmlwdD4=)",
	"![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
	"![x](data:image/png;base64,iVBORw0KGgo=)",
	"![x](javascript:alert(1))",
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: <&#106;avascript:alert(1)>",
	"<javascript:alert(1)>",
	"<JavaScript:alert(1)>",
	"<vbscript:alert(1)>",
	"[x](https://a.vn \"t\\\" onmouseover=\\\"alert(1)\")",
	"## Tiêu đề {onclick=\"alert(1)\" style=\"x\"}",
	"## Tiêu đề {#\"><script>alert(1)</script>}",
	"```\"><script>alert(1)</script>\nx\n```",
	"`<script>alert(1)</script>`",
	"<div\nonclick=\"alert(1)\">x</div>",
	"<div title=\"\n\nonclick=\"alert(1)\" [x](https://a.vn)",
	"<a href=\"https://a.vn\" onclick=\"alert(1)\">a</a>",
	"<textarea><script>alert(1)</script></textarea>",
	"<base href=\"javascript:alert(1)//\">",
}

// checkSafeHTML fails the test if out holds script, a dangerous element, an
// event handler or style attribute, or a script/data URL in a URL attribute.
// It reads out with the HTML lexer, independently of how it was made.
func checkSafeHTML(t testing.TB, src string, out template.HTML) {
	t.Helper()
	if strings.Contains(strings.ToLower(string(out)), "<script") {
		t.Fatalf("output has <script for %q:\n%s", src, out)
	}
	lx := tdhtml.NewLexer(parse.NewInputBytes(append([]byte(nil), out...)))
	var tag string
	for {
		tt, _ := lx.Next()
		switch tt {
		case tdhtml.ErrorToken:
			return
		case tdhtml.SVGToken, tdhtml.MathToken, tdhtml.XMLToken:
			t.Fatalf("output has svg/math for %q:\n%s", src, out)
		case tdhtml.StartTagToken:
			tag = string(lx.Text())
			switch tag {
			case "script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "svg", "math", "textarea", "noscript", "body":
				t.Fatalf("output has <%s> for %q:\n%s", tag, src, out)
			}
		case tdhtml.AttributeToken:
			name := string(lx.AttrKey())
			val := html.UnescapeString(strings.Trim(string(lx.AttrVal()), `"'`))
			if strings.HasPrefix(name, "on") || name == "style" || name == "srcdoc" || name == "formaction" {
				t.Fatalf("output has attribute %s on <%s> for %q:\n%s", name, tag, src, out)
			}
			if name == "href" || name == "src" || name == "cite" || name == "action" {
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, val))
				for _, bad := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.HasPrefix(v, bad) {
						t.Fatalf("output has %s=%q for %q:\n%s", name, val, src, out)
					}
				}
			}
		}
	}
}

func TestInjections(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		r := New(Options{Unsafe: unsafe})
		for _, src := range injections {
			res, err := r.Render([]byte(src))
			if err != nil {
				t.Fatalf("Render(%q): %v", src, err)
			}
			checkSafeHTML(t, src, res.HTML)
			checkSafeHTML(t, src, r.RenderInline(src))
		}
	}
}

func TestBlockedLinksReported(t *testing.T) {
	res := render(t, New(Options{}), "[a](JaVaScRiPt:x) ![b](data:image/png;base64,AA) <vbscript:x> [c](/ok)")
	var blocked int
	for _, l := range res.Links {
		if l.Blocked {
			blocked++
		}
	}
	if blocked != 3 || len(res.Links) != 4 || res.Links[3].Blocked {
		t.Fatalf("Links = %+v", res.Links)
	}
	if got := strings.Count(string(res.HTML), `"#"`); got != 3 {
		t.Errorf("want 3 destinations replaced by #, got %d:\n%s", got, res.HTML)
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range injections {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Add(benchArticle(), false)
	f.Add("# Kết quả đạt được\n\n## Kết quả đạt được {#x}\n\n|a|b|\n|-|-|\n|1|2|\n\n- [x] a\n\nx[^1]\n\n[^1]: y", true)
	f.Add("\xff\xfe<b>\x00</b>&#0; &#xD800; [a](\x00javascript:x)", true)
	safe, unsafe := New(Options{}), New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, src string, allowHTML bool) {
		r := safe
		if allowHTML {
			r = unsafe
		}
		res, err := r.Render([]byte(src))
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		if !allowHTML {
			checkSafeHTML(t, src, res.HTML)
		} else if strings.Contains(strings.ToLower(string(res.HTML)), "<script") {
			t.Fatalf("output has <script for %q:\n%s", src, res.HTML)
		}
		if !utf8.ValidString(res.Text) {
			t.Fatalf("Text is not valid UTF-8 for %q: %q", src, res.Text)
		}
		for _, h := range res.Headings {
			if h.ID == "" {
				t.Fatalf("empty heading ID for %q", src)
			}
		}
		_ = r.RenderInline(src)
	})
}
