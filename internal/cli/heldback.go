package cli

import (
	"fmt"
	"strings"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
)

// printHeldBack says which articles a build held back, each with the place of its first
// error, and how many kept their last published version.
func printHeldBack(env Env, rep build.Report) {
	first := map[string]diag.Diagnostic{}
	for _, d := range rep.Diagnostics {
		if _, ok := first[d.Path]; !ok && d.Severity == diag.Error {
			first[d.Path] = d
		}
	}
	// Articles and data files (a schedule week) are counted apart: a week is not a "bài".
	var keptArticles, leftArticles, keptData, leftData int
	for _, h := range rep.HeldBack {
		article := strings.HasPrefix(h.Path, "content/")
		switch {
		case h.Path == config.OrganizationFile: // not left out: the last good data stands in
		case len(h.Kept) > 0 && article:
			keptArticles++
		case len(h.Kept) > 0:
			keptData++
		case article:
			leftArticles++
		default:
			leftData++
		}
	}
	var parts []string
	if keptArticles > 0 {
		parts = append(parts, env.Lang.Sprintf("%d bài lỗi giữ bản cũ", keptArticles))
	}
	if leftArticles > 0 {
		parts = append(parts, env.Lang.Sprintf("%d bài mới có lỗi chưa được xuất bản", leftArticles))
	}
	if keptData > 0 {
		parts = append(parts, env.Lang.Sprintf("%d tệp dữ liệu lỗi giữ bản cũ", keptData))
	}
	if leftData > 0 {
		parts = append(parts, env.Lang.Sprintf("%d tệp dữ liệu mới có lỗi chưa được dùng", leftData))
	}
	w := env.Stderr
	env.printf(w, "Đã xuất bản")
	if len(parts) > 0 {
		fmt.Fprint(w, "; "+strings.Join(parts, ", "))
	}
	env.println(w, ". Sửa các tệp sau rồi dựng lại (portal build --strict: không xuất bản gì khi còn lỗi):")
	for _, h := range rep.HeldBack {
		at := diag.Printable(h.Path)
		if d, ok := first[h.Path]; ok && d.Line > 0 {
			at += fmt.Sprintf(":%d", d.Line)
			if d.Col > 0 {
				at += fmt.Sprintf(":%d", d.Col)
			}
		}
		switch {
		case len(h.Kept) > 0:
			env.printf(w, "  %s: giữ bản đã xuất bản trước\n", at)
		case h.Path == config.OrganizationFile:
			env.printf(w, "  %s: dùng thông tin cơ quan của lần dựng thành công trước\n", at)
		case !strings.HasPrefix(h.Path, "content/"):
			env.printf(w, "  %s: chưa được xuất bản\n", at)
		default:
			env.printf(w, "  %s: bài mới, chưa được xuất bản\n", at)
		}
	}
}
