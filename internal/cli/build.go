package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

func runBuild(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "build")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml, content/, themes/)")
	dest := fs.String("destination", "", "thư mục đầu ra (mặc định <source>/public)")
	drafts := fs.Bool("drafts", false, "dựng cả bản nháp")
	future := fs.Bool("future", false, "dựng cả bài có ngày trong tương lai")
	expired := fs.Bool("expired", false, "dựng cả bài đã hết hạn (expiryDate)")
	baseURL := fs.String("base-url", "", "ghi đè baseURL trong config.toml")
	noMinify := fs.Bool("no-minify", false, "không rút gọn HTML, CSS, JS, XML")
	noPrecompress := fs.Bool("no-precompress", false, "không ghi bản nén sẵn .gz bên cạnh tệp văn bản (portal serve khi đó chỉ nén tệp nhỏ)")
	cacheDir := fs.String("cache-dir", "", "thư mục bộ nhớ đệm giữa các lần dựng (mặc định trong thư mục cache của người dùng)")
	noCache := fs.Bool("no-cache", false, "không dùng bộ nhớ đệm: kết xuất lại mọi trang")
	allowShrink := fs.Bool("allow-shrink", false, "xác nhận xuất bản cả khi lần dựng gỡ quá build.maxShrink số bài đang xuất bản (hoặc gỡ hết)")
	changes := fs.String("changes", "", "ghi danh sách tệp đã thêm (A), sửa (M), xóa (D) trong thư mục đầu ra vào tệp này, để chỉ sao chép những tệp đó khi triển khai")
	asJSON := fs.Bool("json", false, "in tóm tắt dạng JSON (có nextScheduled); với --changes, danh sách cũng là JSON")
	strict := fs.Bool("strict", false, "bài nào có lỗi thì không xuất bản gì cả (như build.strict = true trong config.toml); mặc định bài lỗi giữ bản cũ và phần còn lại vẫn được xuất bản")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		env.printf(env.Stderr, "portal build: không nhận tham số %q; xem 'portal build --help'\n", fs.Arg(0))
		return ExitUsage
	}
	if !needSite(env, "build", source, true) {
		return ExitUsage
	}
	opts := build.Options{
		SiteDir: *source, Dest: *dest, BaseURL: *baseURL, Minify: !*noMinify, Precompress: !*noPrecompress, AllowShrink: *allowShrink, Strict: *strict,
		Include: content.Include{Drafts: *drafts, Future: *future, Expired: *expired},
		Now:     env.now(), Changes: *changes != "",
	}
	if opts.Dest != "" && !filepath.IsAbs(opts.Dest) {
		opts.Dest = filepath.Clean(opts.Dest)
	}
	if *noCache && *cacheDir != "" {
		env.println(env.Stderr, "portal build: --cache-dir và --no-cache không dùng cùng nhau")
		return ExitUsage
	}
	switch {
	case *noCache:
		opts.Cache = build.NoCache()
	case *cacheDir != "":
		opts.Cache = build.DiskCache(*cacheDir, "")
	default:
		dest := opts.Dest
		if dest == "" {
			dest = filepath.Join(opts.SiteDir, "public")
		}
		dir, err := buildcache.DefaultDir(opts.SiteDir, dest)
		if err != nil {
			env.printf(env.Stderr, "portal build: không có thư mục cache của người dùng (%v); dựng không dùng bộ nhớ đệm (chọn một thư mục bằng --cache-dir)\n", err)
			opts.Cache = build.NoCache()
		} else {
			opts.Cache = build.DiskCache(dir, "")
		}
	}
	rep, err := build.Run(ctx, opts)
	printDiagnostics(env, rep.Diagnostics)
	if err != nil {
		if _, ok := diag.AsErrors(err); !ok && !errors.Is(err, context.Canceled) {
			env.printf(env.Stderr, "lỗi: %v\n", err)
		}
		if errors.Is(err, context.Canceled) {
			env.println(env.Stderr, "Đã dừng dựng trang; thư mục đầu ra cũ vẫn nguyên vẹn.")
		} else {
			env.println(env.Stderr, "Dựng trang thất bại; thư mục đầu ra cũ vẫn nguyên vẹn.")
		}
		return ExitError
	}
	if *changes != "" {
		if err := writeChanges(*changes, encodeChanges(rep.Publish.Changes, *asJSON)); err != nil {
			env.printf(env.Stderr, "lỗi: trang đã được xuất bản nhưng không ghi được danh sách thay đổi %s: %v; lần triển khai này hãy đồng bộ toàn bộ thư mục đầu ra\n", *changes, err)
			return ExitError
		}
	}
	if *asJSON {
		if err := printJSONSummary(env.Stdout, rep, *changes != ""); err != nil {
			env.printf(env.Stderr, "lỗi: %v\n", err)
			return ExitError
		}
		if len(rep.HeldBack) > 0 {
			printHeldBack(env, rep)
			return ExitHeldBack
		}
		return ExitOK
	}
	printSummary(env, rep)
	if line := scheduledLine(env, rep.NextScheduled); line != "" {
		fmt.Fprintf(env.Stdout, "  %s\n", line)
	}
	if len(rep.HeldBack) > 0 {
		printHeldBack(env, rep)
		return ExitHeldBack
	}
	return ExitOK
}

// warningsPerRule is how many warnings of one rule a build prints; the rest are counted
// in one line (portal check lists them all). Errors are always printed.
const warningsPerRule = 20

// printDiagnostics writes each diagnostic as path:line:col: severity: message: every
// error, and up to warningsPerRule warnings of each rule, so that a rule that fires on
// thousands of articles (near-duplicate titles in a large archive) does not bury the
// errors; a line then says how many more there are and where to see them.
func printDiagnostics(env Env, ds []diag.Diagnostic) {
	shown := map[string]int{}
	more := map[string]int{}
	for _, d := range ds {
		if d.Severity == diag.Warning {
			if shown[d.Code] >= warningsPerRule {
				more[d.Code]++
				continue
			}
			shown[d.Code]++
		}
		fmt.Fprintln(env.Stderr, d.In(env.Lang))
	}
	for _, code := range slices.Sorted(maps.Keys(more)) {
		env.printf(env.Stderr, "… và %d cảnh báo %s khác (portal check liệt kê tất cả)\n", more[code], code)
	}
}

func printSummary(env Env, rep build.Report) {
	w := env.Stdout
	var kinds []string
	for _, k := range slices.Sorted(maps.Keys(rep.Pages)) {
		name, ok := pageKindNames[string(k)]
		if !ok {
			name = string(k)
		}
		kinds = append(kinds, fmt.Sprintf("%s %d", env.Lang.Sprintf(name), rep.Pages[k]))
	}
	env.printf(w, "Đã dựng %d bài viết vào %s trong %s\n", rep.Articles, rep.Dest, rep.Took.Round(1e6))
	env.printf(w, "  trang: %s\n", strings.Join(kinds, ", "))
	if rep.AsBefore {
		env.println(w, "  không có gì thay đổi từ lần dựng trước: thư mục đầu ra giữ nguyên, không bước nào phải chạy lại")
	}
	env.printf(w, "  kết xuất %d trang, dùng lại %d trang từ lần dựng trước\n", rep.Rendered, rep.Reused)
	env.printf(w, "  markdown: dựng lại %d bài, dùng lại %d bài từ lần dựng trước\n", rep.MarkdownRendered, rep.MarkdownReused)
	env.printf(w, "  ảnh: xử lý %d, dùng lại %d\n", rep.ImagesProcessed, rep.ImagesReused)
	env.printf(w, "  tệp: %d (%.1f MB; %.1f MB trước khi rút gọn)\n", rep.Publish.Files, float64(rep.Publish.Bytes)/1e6, float64(rep.Publish.BytesBeforeMinify)/1e6)
	if p := rep.Publish; p.Precompressed > 0 {
		env.printf(w, "  nén sẵn: %d tệp có bản .gz (%.1f MB)\n", p.Precompressed, float64(p.PrecompressedBytes)/1e6)
	}
	if rep.IndexDir != "" {
		s := rep.Search
		env.printf(w, "  tìm kiếm: thêm %d, sửa %d, xóa %d, giữ %d\n", s.Added, s.Updated, s.Deleted, s.Unchanged)
	}
	var stages []string
	for _, s := range rep.Stages {
		stages = append(stages, fmt.Sprintf("%s %s", env.Lang.Sprintf(s.Name), s.Took.Round(1e5)))
	}
	env.printf(w, "  thời gian: %s\n", strings.Join(stages, ", "))
	if n := len(rep.Warnings()); n > 0 {
		env.printf(w, "  %d cảnh báo (xem ở trên)\n", n)
	}
}
