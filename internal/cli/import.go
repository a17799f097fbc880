package cli

import (
	"context"
	"errors"
	"fmt"
	"github.com/vnportal/portal/internal/build"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/importer"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

func runImport(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "import")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml, content/)")
	dest := fs.String("dest", "content/tin-tuc", "thư mục ghi bài, tương đối với --source")
	dryRun := fs.Bool("dry-run", false, "không ghi gì; in ra Markdown sẽ được ghi")
	force := fs.Bool("force", false, "ghi đè bài đã có cùng tên tệp")
	inputs, code, stop := parseInterspersed(fs, args)
	if stop {
		return code
	}
	if len(inputs) == 0 {
		env.println(env.Stderr, "portal import: cần ít nhất một tệp hoặc thư mục bài viết cũ; xem 'portal import --help'")
		return ExitUsage
	}
	cfg, reg, ok := siteRegistry(env, *source)
	if !ok {
		return ExitError
	}
	destDir := *dest
	if !filepath.IsAbs(destDir) {
		destDir = filepath.Join(*source, destDir)
	}
	files, failed := importInputs(env, inputs)
	schema := content.SchemaOf(cfg)
	written := map[string]string{} // target → input, to catch two inputs with one title
	var imported, toReview int
	for _, in := range files {
		if err := ctx.Err(); err != nil {
			env.println(env.Stderr, "portal import: đã dừng; các bài đã ghi vẫn được giữ")
			return ExitError
		}
		reviewed, err := importOne(env, in, destDir, reg, schema, written, *dryRun, *force)
		if err != nil {
			env.printf(env.Stderr, "portal import: %v\n", err)
			failed++
			continue
		}
		imported++
		if reviewed {
			toReview++
		}
	}
	if *dryRun {
		env.printf(env.Stdout, "Chạy thử, không ghi tệp nào: sẽ nhập %d bài vào %s", imported, destDir)
	} else {
		env.printf(env.Stdout, "Đã nhập %d bài vào %s", imported, destDir)
	}
	if toReview > 0 {
		env.printf(env.Stdout, "; %d bài %s (tìm “%s” trong tệp)", toReview, importer.Review, importer.Review)
	}
	fmt.Fprintln(env.Stdout)
	if failed > 0 {
		env.printf(env.Stderr, "portal import: %d tệp không nhập được (xem ở trên)\n", failed)
		return ExitError
	}
	return ExitOK
}

// importOne converts one file, prints what it inferred and writes the Markdown (or, with
// dryRun, prints it). It reports whether the article needs review.
func importOne(env Env, in, destDir string, reg *province.Registry, schema content.Schema, written map[string]string, dryRun, force bool) (bool, error) {
	raw, err := os.ReadFile(in)
	if err != nil {
		return false, message.Errorf("không đọc được %s: %v", in, err)
	}
	a, findings, err := importer.Convert(in, raw, reg)
	if err != nil {
		return false, message.Errorf("%v — bỏ qua tệp này", err)
	}
	slug := a.Slug()
	if slug == "" {
		return false, message.Errorf("%s: tiêu đề %q không có chữ hay số để đặt tên tệp — bỏ qua tệp này", in, a.Title)
	}
	target := filepath.Join(destDir, slug+".md")
	if other, dup := written[target]; dup {
		return false, message.Errorf("%s: cùng tiêu đề với %s nên cùng tên tệp %s — bỏ qua; đổi tiêu đề một bài rồi nhập lại", in, other, target)
	}
	if _, err := os.Lstat(target); err == nil && !force {
		return false, message.Errorf("%s: đã có %s; không ghi đè (dùng --force để ghi đè)", in, target)
	}
	md := a.Markdown()
	// The importer's output must always be valid content; check before writing.
	rel := filepath.ToSlash(filepath.Join("content", filepath.Base(destDir), slug+".md"))
	if _, ds := content.Parse(rel, md, schema); hasError(ds) {
		return false, message.Errorf("%s: lỗi của portal import, Markdown tạo ra không hợp lệ (%s); xin báo lỗi kèm tệp này", in, firstError(env, ds))
	}
	written[target] = in
	printImport(env, in, target, a, findings)
	if dryRun {
		env.printf(env.Stdout, "----- %s -----\n%s----- hết %s -----\n\n", target, md, filepath.Base(target))
		return len(findings) > 0, nil
	}
	if err := writeContent(target, md, force); err != nil {
		delete(written, target)
		if errors.Is(err, fs.ErrExist) {
			return false, message.Errorf("%s: đã có %s; không ghi đè (dùng --force để ghi đè)", in, target)
		}
		return false, message.Errorf("%s: không ghi được %s: %v", in, target, err)
	}
	return len(findings) > 0, nil
}

// printImport prints what was inferred from one file and what needs review.
func printImport(env Env, in, target string, a importer.Article, findings []importer.Finding) {
	w := env.Stdout
	env.printf(w, "%s → %s\n", in, target)
	needs := map[string]bool{}
	for _, f := range findings {
		needs[f.Field] = true
	}
	show := func(field, value string) {
		if value == "" {
			value = "—"
			if needs[field] {
				value = "— (" + importer.Review + ")"
			}
		}
		env.printf(w, "  %-16s %s\n", importer.FieldLabel(field)+":", value)
	}
	show("title", a.Title)
	date := ""
	if !a.Date.IsZero() {
		t := a.Date.In(vietnamese.Location())
		date = fmt.Sprintf("%s %02d:%02d (theo %s)", vietnamese.ShortDate(t), t.Hour(), t.Minute(), a.DateSource)
	}
	show("date", date)
	show("author", a.Author)
	show("source", a.Source)
	show("provinces", strings.Join(a.Provinces, ", "))
	show("categories", strings.Join(a.Categories, ", "))
	show("tags", strings.Join(a.Tags, ", "))
	env.printf(w, "  %-16s %s\n", "mã hóa:", a.Encoding)
	env.printf(w, "  %-16s %d đoạn\n", "nội dung:", len(a.Body))
	for _, f := range findings {
		env.printf(w, "  %s\n", f)
	}
}

// importInputs expands the command line into the files to import: files as given, and the
// *.txt files of each folder (not its subfolders), in name order. It reports arguments
// that do not exist or folders without *.txt files.
func importInputs(env Env, args []string) ([]string, int) {
	var files []string
	failed := 0
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			env.printf(env.Stderr, "portal import: không tìm thấy %s\n", arg)
			failed++
			continue
		}
		if !st.IsDir() {
			files = append(files, arg)
			continue
		}
		entries, err := os.ReadDir(arg)
		if err != nil {
			env.printf(env.Stderr, "portal import: không đọc được thư mục %s: %v\n", arg, err)
			failed++
			continue
		}
		var found []string
		for _, e := range entries {
			if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".txt") && !content.Ignored(e.Name()) {
				found = append(found, filepath.Join(arg, e.Name()))
			}
		}
		if len(found) == 0 {
			env.printf(env.Stderr, "portal import: thư mục %s không có tệp .txt nào\n", arg)
			failed++
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, failed
}

// siteRegistry loads the site's configuration and its province registry, as a build
// does (build.LoadConfig). Configuration errors are printed.
func siteRegistry(env Env, source string) (config.Config, *province.Registry, bool) {
	ds := &diag.List{}
	cfg, reg, err := build.LoadConfig(build.Options{SiteDir: source}, ds)
	if err != nil {
		printDiagnostics(env, ds.Items())
		return cfg, nil, false
	}
	return cfg, reg, true
}

func hasError(ds []diag.Diagnostic) bool {
	return firstError(Env{}, ds) != ""
}

// firstError prints the first error of ds in env's language.
func firstError(env Env, ds []diag.Diagnostic) string {
	for _, d := range ds {
		if d.Severity == diag.Error {
			return d.In(env.Lang)
		}
	}
	return ""
}

// parseInterspersed parses flags that may come before, between or after the positional
// arguments ("portal new \"Tiêu đề\" --province Huế"), and returns the positional ones.
func parseInterspersed(fs *flagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if code, stop := parse(fs, args); stop {
			return nil, code, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
