package check_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// Issue 17, item 3: one rule book. For each rule, a site with that one mistake gives
// the same findings — path, line, column, severity, code and message — from
// `portal build` (build.Run) and from `portal check` (build.Check), with the severity
// the rule book gives the code.
func TestBuildAndCheckReportEachRuleAlike(t *testing.T) {
	ok := article("Tập huấn chuyển đổi số cho cán bộ cấp xã", "", "Nội dung.\n")
	cases := []struct {
		rule     string
		files    map[string]string
		path     string
		line     int
		contains string
	}{
		{"broken-link", map[string]string{"content/tin-tuc/a.md": article("Liên kết hỏng", "", "Xem [bài cũ](/tin-tuc/khong-co/).\n")},
			"content/tin-tuc/a.md", 5, "/tin-tuc/khong-co/"},
		{"missing-image", map[string]string{"content/tin-tuc/a.md": article("Ảnh thiếu", "", "![Sơ đồ](/images/khong-co.svg)\n")},
			"content/tin-tuc/a.md", 5, "/images/khong-co.svg"},
		{"missing-photo", map[string]string{"content/tin-tuc/a.md": article("Ảnh chụp thiếu", "", "![Hội trường](/images/khong-co.jpg)\n")},
			"content/tin-tuc/a.md", 5, "/images/khong-co.jpg"},
		{"photo", map[string]string{"content/tin-tuc/a.md": article("Ảnh hỏng", "", "![Hội trường](/images/hong.png)\n"), "static/images/hong.png": "không phải ảnh"},
			"content/tin-tuc/a.md", 5, "không phải là ảnh"},
		{"image-alt", map[string]string{"content/tin-tuc/a.md": article("Ảnh không mô tả", "", "![](/images/co.svg)\n"), "static/images/co.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
			"content/tin-tuc/a.md", 5, "/images/co.svg"},
		{"unknown-province", map[string]string{"content/tin-tuc/a.md": article("Tỉnh gõ thiếu dấu", "provinces: [\"Ha Tinh\"]\n", "x\n")},
			"content/tin-tuc/a.md", 4, `"Hà Tĩnh"`},
		{"front-matter-key", map[string]string{"content/tin-tuc/a.md": article("Sai khóa tag", "tag: [\"an toàn\"]\n", "x\n")},
			"content/tin-tuc/a.md", 4, `có phải định viết "tags"`},
		{"front-matter-key", map[string]string{"content/tin-tuc/a.md": article("Sai khóa province", "province: [\"Hà Tĩnh\"]\n", "x\n")},
			"content/tin-tuc/a.md", 4, `có phải định viết "provinces"`},
		{"front-matter-key", map[string]string{"content/tin-tuc/a.md": article("Sai khóa catagories", "catagories: [\"Tin tức\"]\n", "x\n")},
			"content/tin-tuc/a.md", 4, `có phải định viết "categories"`},
		{"nfc", map[string]string{"content/tin-tuc/a.md": norm.NFD.String(article("Bài gõ trên máy Mac", "", "Nội dung tiếng Việt.\n"))},
			"content/tin-tuc/a.md", 1, "NFC"},
		{"future-date", map[string]string{"content/tin-tuc/a.md": "---\ntitle: \"Tương lai\"\ndate: 2999-01-01\n---\nx\n"},
			"content/tin-tuc/a.md", 3, "2999"},
		{"duplicate-title", map[string]string{
			"content/tin-tuc/a.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ", "", "x\n"),
			"content/tin-tuc/b.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ xã", "", "x\n")},
			"content/tin-tuc/b.md", 2, "content/tin-tuc/a.md"},
		{"front-matter", map[string]string{"content/tin-tuc/a.md": "---\ndate: 2024-01-01\n---\nx\n"},
			"content/tin-tuc/a.md", 1, "title"},
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.contains, func(t *testing.T) {
			files := map[string]string{"content/tin-tuc/ok.md": ok}
			for k, v := range c.files {
				files[k] = v
			}
			dir := sitetest.NewSite(t, files)
			rep, err := build.Run(context.Background(), build.Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: now, NoSearch: true})
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			checked, err := build.Check(context.Background(), build.Options{SiteDir: dir, Now: now})
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			rule, known := diag.RuleOf(c.rule)
			if !known {
				t.Fatalf("%s is not in the rule book", c.rule)
			}
			found := slices.ContainsFunc(rep.Diagnostics, func(d diag.Diagnostic) bool {
				return d.Code == c.rule && d.Path == c.path && d.Line == c.line && d.Severity == rule.Severity && strings.Contains(d.Message, c.contains)
			})
			if !found {
				t.Errorf("build does not report %s at %s:%d (%s) containing %q: %v", c.rule, c.path, c.line, rule.Severity, c.contains, rep.Diagnostics)
			}
			if !slices.EqualFunc(rep.Diagnostics, checked, func(a, b diag.Diagnostic) bool { return a.String() == b.String() && a.Code == b.Code }) {
				t.Errorf("build and check differ:\nbuild: %v\ncheck: %v", rep.Diagnostics, checked)
			}
			if rule.Severity == diag.Error && (len(rep.HeldBack) != 1 || rep.HeldBack[0].Path != c.path) {
				t.Errorf("an article-level error must hold %s back, held %+v", c.path, rep.HeldBack)
			}
		})
	}
}
