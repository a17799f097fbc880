package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
)

// jsonFinding is one finding in the output of portal check --json. Every key is always
// present; line and col are 0 when unknown.
type jsonFinding struct {
	Path string `json:"path"`
	// PathBytes is the path's bytes in standard base64 when they are not UTF-8 (JSON
	// turns such bytes into U+FFFD and the file could not be found from the report);
	// "" otherwise.
	PathBytes string `json:"pathBytes"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	Severity  string `json:"severity"` // "error" or "warning", whatever the language
	Message   string `json:"message"`  // in the language of the run (--lang)
	Code      string `json:"code"`
}

func runCheck(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "check")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml, content/)")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON: [{path, line, col, severity, message, code}]")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		env.printf(env.Stderr, "portal check: không nhận tham số %q; xem 'portal check --help'\n", fs.Arg(0))
		return ExitUsage
	}
	if !needSite(env, "check", source, true) {
		return ExitUsage
	}
	opts := build.Options{SiteDir: *source}
	// PDF attachments are read through portal build's cache folder (their text only):
	// what a build or an earlier check read is not read again.
	if dir, err := buildcache.DefaultDir(*source, filepath.Join(*source, "public")); err == nil {
		opts.Cache = build.CheckCache(dir)
	}
	ds, err := build.Check(ctx, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			env.println(env.Stderr, "portal check: đã dừng")
		} else {
			env.printf(env.Stderr, "portal check: %v\n", err)
		}
		return ExitError
	}
	errs := 0
	for _, d := range ds {
		if d.Severity == diag.Error {
			errs++
		}
	}
	if *asJSON {
		out := make([]jsonFinding, len(ds))
		for i, d := range ds {
			out[i] = jsonFinding{Path: d.Path, Line: d.Line, Col: d.Col, Severity: d.Severity.Code(), Message: d.Text(env.Lang), Code: d.Code}
			if !utf8.ValidString(d.Path) {
				out[i].PathBytes = base64.StdEncoding.EncodeToString([]byte(d.Path))
			}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			env.printf(env.Stderr, "portal check: %v\n", err)
			return ExitError
		}
	} else {
		for _, d := range ds {
			fmt.Fprintln(env.Stdout, d.In(env.Lang))
		}
	}
	switch warns := len(ds) - errs; {
	case errs > 0:
		env.printf(env.Stderr, "Kiểm tra xong: %d lỗi, %d cảnh báo. Sửa các lỗi trước khi dựng trang.\n", errs, warns)
		return ExitError
	case warns > 0:
		env.printf(env.Stderr, "Kiểm tra xong: không có lỗi, %d cảnh báo.\n", warns)
	default:
		env.println(env.Stderr, "Kiểm tra xong: không có lỗi nào.")
	}
	return ExitOK
}
