// Package cli implements the portal command line: flag parsing, exit codes and the
// messages people read. The work itself lives in the pipeline packages.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // build or content errors
	ExitUsage = 2 // bad command line
	// ExitHeldBack: the site was published, but some articles have errors and were held
	// back (each keeps its last published version; new ones are left out).
	ExitHeldBack = 3
)

// Env is what a command may touch besides the file system.
type Env struct {
	Stdout, Stderr io.Writer
	// Getenv reads environment variables (CI, NO_COLOR, LANG...).
	Getenv func(string) string
	// Now is the clock for what is published and scheduled; nil is time.Now.
	Now func() time.Time
	// Lang is the language of the messages. Main sets it from the --lang option (any
	// command, any place) or else the environment (LC_ALL, LC_MESSAGES, LANG).
	Lang message.Lang
}

type command struct {
	name, summary, usage string
	run                  func(ctx context.Context, env Env, args []string) int
}

func commands() []command {
	return []command{
		{"build", "dựng trang tĩnh vào thư mục public/ (kèm chỉ mục tìm kiếm)", "portal build [--source DIR] [--destination DIR] [--drafts] [--future] [--expired] [--base-url URL] [--no-minify] [--no-precompress] [--cache-dir DIR | --no-cache] [--allow-shrink] [--changes FILE] [--json]", runBuild},
		{"serve", "phục vụ trang đã dựng và tìm kiếm", "portal serve [--source DIR] [--addr 127.0.0.1:1313] [--watch [--allow-shrink]]", runServe},
		{"preview", "xem trước khi soạn bài: dựng lại và tải lại trình duyệt khi lưu tệp", "portal preview [--source DIR] [--addr 127.0.0.1:1313] [--allow-remote] [--host NAME]... [--no-drafts]", runPreview},
		{"import", "chuyển bài viết từ cổng cũ (văn bản thuần) sang Markdown", "portal import [--source DIR] [--dest content/tin-tuc] [--dry-run] [--force] FILE|DIR...", runImport},
		{"new", "tạo bài viết mới từ mẫu", "portal new [--source DIR] [--section tin-tuc] [--province NAME]... \"Tiêu đề bài viết\"", runNew},
		{"check", "kiểm tra nội dung mà không ghi gì", "portal check [--source DIR] [--json]", runCheck},
		{"recover", "hoàn tất hoặc bỏ phần dở dang của lần dựng bị ngắt trong thư mục đầu ra (chạy trước máy chủ web)", "portal recover [--source DIR] [--destination DIR]", runRecover},
		{"version", "in phiên bản", "portal version", runVersion},
		{"help", "trợ giúp", "portal help [COMMAND]", nil},
	}
}

// Main runs the portal command line and returns the process exit code.
func Main(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	lang, args, err := takeLang(args, env.Getenv)
	env.Lang = lang
	if err != nil {
		env.printf(env.Stderr, "portal: %v\n", err)
		return ExitUsage
	}
	if len(args) == 0 {
		usage(env, env.Stderr)
		return ExitUsage
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		if len(rest) > 0 {
			for _, c := range commands() {
				if c.name == rest[0] && c.run != nil {
					return c.run(context.Background(), env, []string{"--help"})
				}
			}
			env.printf(env.Stderr, "portal: không có lệnh %q; xem 'portal help'\n", rest[0])
			return ExitUsage
		}
		usage(env, env.Stdout)
		return ExitOK
	}
	if name == "--version" || name == "-version" {
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return c.run(ctx, env, rest)
		}
	}
	env.printf(env.Stderr, "portal: không có lệnh %q; xem 'portal help'\n", name)
	return ExitUsage
}

func usage(env Env, w io.Writer) {
	env.println(w, "portal: trình dựng cổng thông tin điện tử tĩnh cho các tỉnh, thành phố")
	fmt.Fprintln(w)
	env.println(w, "Cách dùng: portal <lệnh> [tùy chọn]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		env.printf(w, "  %-8s %s\n", c.name, env.Lang.Sprintf(c.summary))
	}
	fmt.Fprintln(w)
	env.println(w, "Xem 'portal <lệnh> --help' cho các tùy chọn của từng lệnh.")
	env.println(w, "Mọi lệnh nhận --lang en để in thông báo bằng tiếng Anh (hoặc đặt LANG=en_US.UTF-8).")
}

// multiFlag collects a repeated string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runVersion(_ context.Context, env Env, args []string) int {
	fs := newFlags(env, "version")
	if code, stop := parse(fs, args); stop {
		return code
	}
	fmt.Fprintln(env.Stdout, "portal", Version())
	return ExitOK
}

// Version returns the module version and VCS revision, when the binary knows them.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev
		if settings["vcs.modified"] == "true" {
			v += "+dirty"
		}
	}
	return v + " " + info.GoVersion
}
