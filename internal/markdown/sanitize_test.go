package markdown

import "testing"

func TestSanitizeHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>Xin chào</p>`, `<p>Xin chào</p>`},
		{`<script>alert(1)</script>ok`, `ok`},
		{`<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok`, `ok`},
		{`<style>body{display:none}</style>ok`, `ok`},
		{`<img src=x onerror=alert(1)>`, `<img src="x">`},
		{`<img src="x" OnError="alert(1)" alt='a"b'>`, `<img src="x" alt="a&#34;b">`},
		{`<img/src=x/onerror=alert(1)>`, ``},
		{`<img src="data:image/png;base64,AAAA" alt="a">`, `<img alt="a">`},
		{`<a href="javascript:alert(1)">x</a>`, `<a>x</a>`},
		{`<a href="  JaVaScRiPt:alert(1)">x</a>`, `<a>x</a>`},
		{`<a href="&#106;avascript:alert(1)">x</a>`, `<a>x</a>`},
		{`<a href="java&#x09;script:alert(1)">x</a>`, `<a>x</a>`},
		{`<a href="https://a.vn/?x=1&amp;y=2" target="_blank" onclick="x">a</a>`, `<a href="https://a.vn/?x=1&amp;y=2">a</a>`},
		{`<svg onload=alert(1)>`, ``},
		{`<svg><script>alert(1)</script></svg>ok`, `ok`},
		{`<math><mtext><img src=x onerror=alert(1)></mtext></math>ok`, `ok`},
		{`<iframe src="https://evil.example"></iframe>ok`, `ok`},
		{`<object data="x.swf"><param name=a value=b>fallback</object>ok`, `ok`},
		{`<embed src="x.swf">ok`, `ok`},
		{`<form action="javascript:alert(1)"><input type=submit value=Gửi><button>Gửi</button></form>`, `Gửi`},
		{`<div style="background:url(javascript:alert(1))">x</div>`, `<div>x</div>`},
		{`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>ok`, `ok`},
		{`<!-- <img src=x onerror=alert(1)> -->ok`, `ok`},
		{`<div><b>mở`, `<div><b>mở</b></div>`},
		{`</div>lạc</p>`, `lạc`},
		{`<ul><li>a<li>b</ul>`, `<ul><li>a<li>b</li></li></ul>`},
		{`<td colspan="2;x" rowspan=3>o</td>`, `<td rowspan="3">o</td>`},
		{`<ol start="3" type="I" reversed><li value="7">x</li></ol>`, `<ol start="3" type="I" reversed><li value="7">x</li></ol>`},
		{`<p dir="rtl" lang="vi" id="a" class="b c">x</p>`, `<p dir="rtl" lang="vi" id="a" class="b c">x</p>`},
		{`<blockquote cite="javascript:x">q</blockquote>`, `<blockquote>q</blockquote>`},
		{`a < b > c & d`, `a &lt; b &gt; c & d`},
		{"<p>nul\x00byte</p>", "<p>nul\uFFFDbyte</p>"},
		{`<br/><hr><wbr>`, `<br><hr><wbr>`},
		{`<textarea><b>x</b></textarea>ok`, `ok`},
		{`<base href="https://evil.example/"><meta http-equiv=refresh content="0;url=javascript:x">ok`, `ok`},
		{`<p title="x`, `<p title="x"></p>`},
	}
	for _, tt := range tests {
		if got := string(SanitizeHTML([]byte(tt.in))); got != tt.want {
			t.Errorf("SanitizeHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitizeHTMLDoesNotModifyInput(t *testing.T) {
	in := make([]byte, 0, 64)
	in = append(in, `<P CLASS="X">Y</P>`...)
	orig := string(in)
	SanitizeHTML(in)
	if string(in) != orig {
		t.Errorf("input changed: %q", in)
	}
}
