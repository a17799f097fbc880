package render

import (
	"errors"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// goEnglish finds text/template's and html/template's English words in a message.
var goEnglish = regexp.MustCompile(`can't|not defined|unexpected|unclosed|unterminated|missing value|executing|wrong number|nil pointer|error calling|out of range|iterate|non-text context|no such template|in type`)

// A theme's syntax errors are reported at the file's line, in Vietnamese, saying how to
// fix them; a misspelt function name gets the closest one.
func TestTemplateSyntaxErrorsAreVietnamese(t *testing.T) {
	for _, c := range []struct {
		src  string
		line int
		want string
	}{
		{"<p>\n{{ if .Title }}\n</p>\n", 4, "chưa đóng: thêm {{ end }}"},
		{"<p>{{ end }}</p>", 1, "{{ end }} thừa"},
		{"<p>\n{{ $x }}</p>", 2, "biến $x chưa được gán"},
		{`<p>{{ prnitf "%d" 1 }}</p>`, 1, `không có hàm "prnitf": có phải là "printf"?`},
		{`<p>{{ khongco 1 }}</p>`, 1, `không có hàm "khongco": kiểm tra tên hàm (phân biệt chữ hoa, chữ thường); các hàm có: T, and, call, eq,`},
		{"<p>\n{{ .Title", 2, "lệnh mở bằng {{ nhưng không đóng"},
		{`<p>{{ "abc }}</p>`, 1, `chuỗi mở dấu " nhưng không đóng`},
		{`<p>{{ if }}{{ end }}</p>`, 1, "{{ if }} thiếu giá trị để xét"},
		{`<p>{{ else }}</p>`, 1, "{{ else }} nằm ngoài khối"},
	} {
		dir := sitetest.NewSite(t, map[string]string{"layouts/page.html": c.src})
		_, err := LoadTheme(dir, "mau", nil)
		items, ok := diag.AsErrors(err)
		if !ok || len(items) != 1 {
			t.Errorf("%q: error %v, want one diagnostic", c.src, err)
			continue
		}
		d := items[0]
		if !strings.HasSuffix(d.Path, "layouts/page.html") || d.Line != c.line || d.Code != CodeTheme {
			t.Errorf("%q: at %s:%d (%s), want layouts/page.html:%d (%s)", c.src, d.Path, d.Line, d.Code, c.line, CodeTheme)
		}
		if msg := d.Text(message.Vi); !strings.Contains(msg, c.want) || goEnglish.MatchString(msg) {
			t.Errorf("%q: message %q, want Vietnamese with %q", c.src, msg, c.want)
		}
		if en := d.Text(message.En); en == d.Text(message.Vi) {
			t.Errorf("%q: no English translation of %q", c.src, en)
		}
	}
}

// A template that fails on a page is reported at the innermost template's line and
// column (the partial, not the layout that called it), with the action, a Vietnamese
// cause and the call that led there.
func TestTemplateExecutionErrorsAreVietnamese(t *testing.T) {
	for _, c := range []struct {
		partial string
		col     int
		want    string
	}{
		{`{{ .Titel }}`, 7, "tại {{ .Titel }}: *site.Page không có trường hay phương thức Titel: có phải là Title?"},
		{`{{ .KhongCo }}`, 7, "*site.Page không có trường hay phương thức KhongCo: kiểm tra tên"},
		{`{{ printf }}`, 7, "tại {{ printf }}: hàm printf cần ít nhất 1 đối số nhưng được truyền 0"},
		{`{{ index .Title 99 }}`, 7, "hàm index báo lỗi: vị trí 99 nằm ngoài danh sách"},
		{`{{ range .Title }}{{ end }}`, 13, "{{ range }} không lặp được trên"},
		{`{{ eq .Title 1 }}`, 7, "hàm eq báo lỗi: so sánh hai giá trị khác kiểu"},
		{`{{ template "khong-co.html" . }}`, 0, `không có mẫu "khong-co.html"`},
		{`{{ T "khong-co" }}`, 7, `tại {{ T "khong-co" }}: hàm T báo lỗi: thiếu chữ giao diện "khong-co"`},
	} {
		var th *Theme
		funcs := template.FuncMap{"partialCached": func(name string, data any) (template.HTML, error) {
			return th.executePartial(name, data)
		}}
		dir := sitetest.NewSite(t, map[string]string{
			"layouts/page.html":       "<main>\n  Ấn {{ partialCached \"partials/p.html\" . }}</main>",
			"layouts/partials/p.html": "<p>\n" + "<b>" + c.partial + "</b></p>", // the column counts characters: <b> is 3
		})
		var err error
		if th, err = LoadTheme(dir, "mau", funcs); err != nil {
			t.Fatalf("%q: %v", c.partial, err)
		}
		_, err = th.Execute(&site.Page{Kind: site.KindPage, Title: "Giới thiệu"}, &site.Page{Kind: site.KindPage, Title: "Giới thiệu"})
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("%q: error %v (%T), want a *TemplateError", c.partial, err, err)
			continue
		}
		if !strings.HasSuffix(te.Path, "layouts/partials/p.html") || te.Line != 2 || (c.col > 0 && te.Col != c.col) {
			t.Errorf("%q: at %s:%d:%d, want layouts/partials/p.html:2:%d", c.partial, te.Path, te.Line, te.Col, c.col)
		}
		msg := te.Text().In(message.Vi)
		if !strings.Contains(msg, c.want) || goEnglish.MatchString(msg) {
			t.Errorf("%q: message %q, want Vietnamese with %q", c.partial, msg, c.want)
		}
		if len(te.Via) != 1 || !strings.HasSuffix(te.Via[0], "layouts/page.html:2:9") {
			t.Errorf("%q: called from %q, want [.../layouts/page.html:2:9] (characters, not bytes: Ấn is 2)", c.partial, te.Via)
		}
	}
}

// A layout that ends inside an open tag, attribute, comment or script is reported where
// that construct was opened (html/template itself gives no line), in characters.
func TestUnclosedHTMLIsPlaced(t *testing.T) {
	for _, c := range []struct {
		src       string
		line, col int
	}{
		{"<main>\n  <a title=\"Ấn {{ .Title }}>x</a>\n</main>", 2, 12},
		{"<main>\n<p>{{ .Title }}</p>\n  <img src=\"/a.png\" alt=x\n", 3, 3},
		{"<p>{{ if .Title }}<b>{{ end }}</p>\nỞ đây <!-- chú thích {{ .Title }}\n", 2, 7},
		{"<p>a</p>\n<script>var x = {{ .Title }};\n", 2, 1},
		{"<style>p{}</style><p {{ if .Title }}class=\"a\"{{ end }}\n", 1, 19},
		{"<p title='{{ \"}\" }}'>ok</p><a title='x\n", 1, 37},
		{"<p title=\"{{ \"}}\\\"\" }}{{ `}}` }}\">ok</p>\n<a\n", 2, 1},
	} {
		dir := sitetest.NewSite(t, map[string]string{"layouts/page.html": c.src})
		th, err := LoadTheme(dir, "mau", nil)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		_, err = th.Execute(&site.Page{Kind: site.KindPage, Title: "Giới thiệu"}, nil)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("%q: error %v (%T), want a *TemplateError", c.src, err, err)
			continue
		}
		if !strings.HasSuffix(te.Path, "layouts/page.html") || te.Line != c.line || te.Col != c.col {
			t.Errorf("%q: at %s:%d:%d, want layouts/page.html:%d:%d", c.src, te.Path, te.Line, te.Col, c.line, c.col)
		}
		if msg := te.Text().In(message.Vi); !strings.Contains(msg, "mẫu kết thúc giữa") {
			t.Errorf("%q: message %q", c.src, msg)
		}
	}
	if l, c := unclosedAt("<p class=\"a\">{{ .X }}</p><!-- x --><script>if (a<b) {}</script>\n"); l != 0 || c != 0 {
		t.Errorf("a closed template: open at %d:%d", l, c)
	}
}
