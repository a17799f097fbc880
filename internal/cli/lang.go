package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// printf writes a catalogued Vietnamese format in the command's language.
func (e Env) printf(w io.Writer, format string, args ...any) {
	fmt.Fprint(w, e.Lang.Sprintf(format, args...))
}

// println writes a catalogued Vietnamese format in the command's language, then a
// line break.
func (e Env) println(w io.Writer, format string, args ...any) {
	fmt.Fprintln(w, e.Lang.Sprintf(format, args...))
}

// takeLang removes the global --lang option from args (before a "--" that ends the
// options, and at any place: `portal --lang en build`, `portal build --lang=en`) and
// returns the language it names; without it, the environment's (LC_ALL, LC_MESSAGES,
// LANG). A value other than vi or en is a usage error, reported in the environment's
// language.
func takeLang(args []string, getenv func(string) string) (message.Lang, []string, error) {
	lang := message.FromEnv(getenv)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return lang, nil, message.Errorf("tùy chọn --lang cần một giá trị: --lang vi (tiếng Việt) hoặc --lang en (tiếng Anh)")
			}
			i++
			value = args[i]
		}
		l, ok := message.Parse(value)
		if !ok {
			return lang, nil, message.Errorf("không có ngôn ngữ %q: dùng --lang vi (tiếng Việt) hoặc --lang en (tiếng Anh)", value)
		}
		lang = l
	}
	return lang, rest, nil
}

// flagSet is a command's flag.FlagSet that prints nothing itself: help and errors are
// written by parse, in the command's language, with --name flags as the usage lines
// show them (Go's flag package would print "-name", "string", `(default ".")` and
// "flag provided but not defined").
type flagSet struct {
	*flag.FlagSet
	env  Env
	name string
}

// placeholders name the value of a flag in help: the words the usage lines use.
var placeholders = map[string]string{
	"source": "DIR", "destination": "DIR", "cache-dir": "DIR", "dest": "DIR",
	"base-url": "URL", "addr": "HOST:PORT", "host": "NAME", "province": "NAME", "section": "SECTION",
}

// help prints the command's usage, summary and options in the command's language.
func (f *flagSet) help(w io.Writer) {
	for _, c := range commands() {
		if c.name == f.name {
			f.env.printf(w, "Cách dùng: %s\n\n", f.env.Lang.Sprintf(c.usage))
			fmt.Fprintln(w, f.env.Lang.Sprintf(c.summary))
		}
	}
	f.env.printf(w, "\nTùy chọn:\n")
	f.VisitAll(func(fl *flag.Flag) {
		line := "  --" + fl.Name
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			line += " " + placeholders[fl.Name]
			if placeholders[fl.Name] == "" {
				line += f.env.Lang.Sprintf("GIÁ_TRỊ")
			}
		}
		fmt.Fprintln(w, line)
		for _, l := range strings.Split(f.env.Lang.Sprintf(fl.Usage), "\n") {
			fmt.Fprintln(w, "        "+l)
		}
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "[]" {
			f.env.printf(w, "        (mặc định: %s)\n", fl.DefValue)
		}
	})
	fmt.Fprintln(w, "  --lang vi|en")
	f.env.printf(w, "        ngôn ngữ của thông báo: vi (tiếng Việt) hoặc en (tiếng Anh);\n        mặc định theo biến môi trường LANG (en_US.UTF-8: tiếng Anh), nếu không thì tiếng Việt\n")
}

var (
	undefinedRe = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	needsArgRe  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	boolRe      = regexp.MustCompile(`^invalid boolean value "(.*)" for -+([^:]*): `)
	valueRe     = regexp.MustCompile(`^invalid value "(.*)" for flag -+([^:]*): (.*)$`)
	syntaxRe    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// usageError explains a flag.Parse error in the command's language.
func (f *flagSet) usageError(err error) {
	e, msg := f.env, err.Error()
	w, cmd := e.Stderr, "portal "+f.name
	if m := undefinedRe.FindStringSubmatch(msg); m != nil {
		e.printf(w, "%s: không có tùy chọn --%s\n", cmd, m[1])
	} else if m := needsArgRe.FindStringSubmatch(msg); m != nil {
		e.printf(w, "%s: tùy chọn --%s cần một giá trị, ví dụ --%s %s\n", cmd, m[1], m[1], placeholders[m[1]])
	} else if m := boolRe.FindStringSubmatch(msg); m != nil {
		e.printf(w, "%s: --%s là tùy chọn bật/tắt, không nhận giá trị %q: viết --%s (bật) hoặc --%s=false (tắt)\n", cmd, m[2], m[1], m[2], m[2])
	} else if m := valueRe.FindStringSubmatch(msg); m != nil {
		e.printf(w, "%s: giá trị %q của --%s không dùng được (%s)\n", cmd, m[1], m[2], m[3])
	} else if m := syntaxRe.FindStringSubmatch(msg); m != nil {
		e.printf(w, "%s: không hiểu tùy chọn %q\n", cmd, m[1])
	} else {
		e.printf(w, "%s: %v\n", cmd, err)
	}
	e.printf(w, "Xem các tùy chọn bằng 'portal %s --help'.\n", f.name)
}

// newFlags makes the flag set of a command.
func newFlags(env Env, name string) *flagSet {
	fs := flag.NewFlagSet("portal "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, env: env, name: name}
}

// parse parses flags; it returns an exit code when the command should stop: after
// --help (the help on stdout, exit 0) or a bad option (what is wrong on stderr, exit 2).
func parse(fs *flagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help(fs.env.Stdout)
			return ExitOK, true
		}
		fs.usageError(err)
		return ExitUsage, true
	}
	return 0, false
}

// pageKindNames name the kinds of pages (site.Kind) in the build's summary.
var pageKindNames = map[string]string{
	"home": "trang chủ", "section": "mục tin", "article": "bài viết", "page": "trang riêng",
	"taxonomy": "danh mục phân loại", "term": "trang phân loại", "archive": "lưu trữ", "year": "năm",
	"search": "tìm kiếm", "404": "trang 404", "alias": "chuyển hướng", "rss": "RSS", "sitemap": "sitemap",
	"sitemapindex": "sitemap tổng", "robots": "robots.txt",
	"schedule": "lịch công tác tuần", "schedule-index": "lịch công tác", "contact": "trang liên hệ",
	"document": "văn bản", "library": "thư viện văn bản",
}
