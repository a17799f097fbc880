package cli

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// englishRe finds English sentences in output that should be Vietnamese: common words
// and phrases of the messages portal, Go's flag package and the front matter parsers
// used to print. It is a heuristic: option names (--base-url), field names (title,
// date) and file names are not sentences and do not match.
var englishRe = regexp.MustCompile(`(?i)( the | is missing|invalid|not allowed|cannot|found character|expected|must be| is not |\berror:|\bwarning:|did you mean|unknown|failed|not found|please|should|\(default|\bstring\b|flag provided|not defined|\busage\b|\boptions:)`)

func englishLines(out string) []string {
	var bad []string
	for _, l := range strings.Split(out, "\n") {
		if englishRe.MatchString(l) {
			bad = append(bad, l)
		}
	}
	return bad
}

// run runs the command line with the given environment and returns the exit code and
// everything printed (stdout then stderr).
func run(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return code, out.String() + errOut.String()
}

var diagLineRe = regexp.MustCompile(`^(content/\S+?\.md)(:\d+)?(:\d+)?: (lỗi|cảnh báo|error|warning): (.*)$`)

// Issue 17, item 1: every mistake of the fixture is reported in Vietnamese by default,
// at path:line:col, in build and in check; nothing in English reaches the output.
func TestMistakesAreReportedInVietnamese(t *testing.T) {
	site := sitetest.MistakesSite(t)
	cache := t.TempDir()
	// file → what the message must say (Vietnamese, with the offending value).
	want := map[string]string{
		"tab-thut-le.md:5:1: lỗi":         "thụt lề bằng phím Tab",
		"hai-cham.md:2:17: lỗi":           `có dấu hai chấm (:) mà không nằm trong ngoặc kép: đặt cả giá trị trong ngoặc kép, ví dụ title: "Thông báo: lịch tiếp công dân tháng 1"`,
		"thieu-ngoac.md:2:8: lỗi":         "mở dấu ngoặc \" nhưng không đóng",
		"the-chuoi.md:4:7: cảnh báo":      `tách thành danh sách ["Chuyển đổi số", "Nghị định 42"]`,
		"ngay-sai.md:3:7: lỗi":            `ngày "2026-02-30" không có thật: tháng 2 năm 2026 chỉ có 28 ngày`,
		"tinh-khong-dau.md:4:1: cảnh báo": `"Ha Tinh"`,
		"thieu-tieu-de.md:1:1: lỗi":       "bài chưa có tiêu đề",
		"rong.md:1:1: lỗi":                "tệp rỗng",
		"rat-dai.md:1:1: cảnh báo":        "tệp dài 2,0 MB",
		"lien-ket-hong.md:6:1: cảnh báo":  `liên kết tới "/tin-tuc/thong-bao-da-xoa/" hỏng`,
	}
	for _, c := range []struct {
		args []string
		want []map[string]string
	}{
		{[]string{"build", "--source", site, "--cache-dir", cache}, []map[string]string{want}},
		{[]string{"check", "--source", site}, []map[string]string{want}},
	} {
		code, out := run(t, nil, c.args...)
		// build publishes the valid articles and holds the broken ones back (exit 3);
		// check reports the same findings and fails.
		if wantCode := map[string]int{"build": ExitHeldBack, "check": ExitError}[c.args[0]]; code != wantCode {
			t.Errorf("%s: exit %d, want %d", c.args[0], code, wantCode)
		}
		if bad := englishLines(out); len(bad) > 0 {
			t.Errorf("%s: English in the default output:\n%s", c.args[0], strings.Join(bad, "\n"))
		}
		for _, l := range strings.Split(out, "\n") {
			if m := diagLineRe.FindStringSubmatch(l); m != nil && m[1] != "content" && (m[2] == "" || m[3] == "") {
				t.Errorf("%s: a diagnostic without line and column: %s", c.args[0], l)
			}
		}
		for _, w := range c.want {
			for where, msg := range w {
				found := false
				for _, l := range strings.Split(out, "\n") {
					if strings.HasPrefix(l, "content/tin-tuc/"+where+": ") && strings.Contains(l, msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no line content/tin-tuc/%s: …%s…", c.args[0], where, msg)
				}
			}
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", c.args[0], out)
		}
	}

	// The same in English, by --lang en anywhere and by LANG.
	for _, c := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--lang", "en", "check", "--source", site}},
		{map[string]string{"LANG": "en_US.UTF-8"}, []string{"check", "--source", site}},
		{map[string]string{"LANG": "en_US.UTF-8"}, []string{"build", "--source", site, "--cache-dir", filepath.Join(cache, "en")}},
	} {
		_, out := run(t, c.env, c.args...)
		for _, s := range []string{
			"tab-thut-le.md:5:1: error: this line is indented with the Tab key",
			`ngay-sai.md:3:7: error: date: the date "2026-02-30" does not exist: month 2 of 2026 has only 28 days`,
			`tinh-khong-dau.md:4:1: warning: there is no province or city "Ha Tinh"`,
			"thieu-tieu-de.md:1:1: error: the article has no title",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("%v %v: no %q in\n%s", c.env, c.args, s, out)
			}
		}
		if strings.Contains(out, "lỗi") || strings.Contains(out, "cảnh báo") || strings.Contains(out, "Kiểm tra xong") || strings.Contains(out, "thất bại") {
			t.Errorf("%v %v: Vietnamese left in the English output:\n%s", c.env, c.args, out)
		}
	}
}

// Issue 17, item 1: help and usage errors are Vietnamese by default, with --name options
// as the usage lines show them, and English with --lang en.
func TestHelpAndUsageErrorsHaveNoEnglish(t *testing.T) {
	singleDash := regexp.MustCompile(`(^|[\s\[])-[a-z]`)
	for _, args := range [][]string{{"--help"}, {"help"}, {"build", "--help"}, {"help", "build"}, {"build", "--bogus"}, {"check", "--source"}, {"build", "--drafts=maybe"}, {"new", "--help"}, {"preview", "--help"}, {"import", "--help"}, {"serve", "--help"}, {"nosuch"}} {
		code, out := run(t, nil, args...)
		if bad := englishLines(out); len(bad) > 0 {
			t.Errorf("%v: English in the output:\n%s", args, strings.Join(bad, "\n"))
		}
		if singleDash.MatchString(out) {
			t.Errorf("%v: a -flag written with one dash:\n%s", args, out)
		}
		wantCode := ExitOK
		if args[0] == "nosuch" || len(args) > 1 && args[1] != "--help" && args[0] != "help" {
			wantCode = ExitUsage
		}
		if code != wantCode {
			t.Errorf("%v: exit %d, want %d", args, code, wantCode)
		}
	}
	_, out := run(t, nil, "build", "--help")
	for _, s := range []string{"Cách dùng: portal build", "Tùy chọn:", "  --source DIR", "(mặc định: .)", "  --lang vi|en"} {
		if !strings.Contains(out, s) {
			t.Errorf("build --help lacks %q:\n%s", s, out)
		}
	}
	_, out = run(t, nil, "build", "--bogus")
	if !strings.Contains(out, "portal build: không có tùy chọn --bogus") {
		t.Errorf("build --bogus: %s", out)
	}

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--lang", "en", "--help"}, []string{"Usage: portal <command> [options]", "build    build the static site"}},
		{[]string{"--lang", "en", "build", "--help"}, []string{"Usage: portal build", "Options:", "(default: .)", "build drafts too"}},
		{[]string{"build", "--bogus", "--lang", "en"}, []string{"portal build: there is no option --bogus", "See the options with 'portal build --help'."}},
	} {
		_, out := run(t, nil, c.args...)
		for _, s := range c.want {
			if !strings.Contains(out, s) {
				t.Errorf("%v: no %q in\n%s", c.args, s, out)
			}
		}
		if strings.Contains(out, "Cách dùng") || strings.Contains(out, "Tùy chọn") || strings.Contains(out, "không có") {
			t.Errorf("%v: Vietnamese in the English output:\n%s", c.args, out)
		}
	}
	if code, out := run(t, nil, "--lang", "fr", "build"); code != ExitUsage || !strings.Contains(out, `không có ngôn ngữ "fr"`) {
		t.Errorf("--lang fr: exit %d, %s", code, out)
	}
}

// Every command's summary and usage line has its English translation.
func TestCommandsAreTranslated(t *testing.T) {
	for _, c := range commands() {
		_, out := run(t, nil, "--lang", "en", "help")
		if strings.Contains(out, c.summary) {
			t.Errorf("the summary of %s is not translated: %q", c.name, c.summary)
		}
	}
}

// A successful build's summary (page kinds, stages) is in one language too.
func TestBuildSummaryInOneLanguage(t *testing.T) {
	site := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	code, out := run(t, nil, "build", "--source", site, "--destination", filepath.Join(t.TempDir(), "out"), "--no-cache")
	if code != ExitOK {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if bad := englishLines(out); len(bad) > 0 || strings.Contains(out, "article ") || strings.Contains(out, "home ") {
		t.Errorf("English in the summary:\n%s", out)
	}
	code, out = run(t, nil, "--lang", "en", "build", "--source", site, "--destination", filepath.Join(t.TempDir(), "out"), "--no-cache")
	if code != ExitOK || !strings.Contains(out, "Built 4 articles") || !strings.Contains(out, "article 4") || !strings.Contains(out, "time: reading content and Markdown") {
		t.Errorf("exit %d, English summary:\n%s", code, out)
	}
	if regexp.MustCompile(`[ạảãàáâấầẩẫậăắằẳẵặđẹẻẽèéêếềểễệịỉĩìíọỏõòóôốồổỗộơớờởỡợụủũùúưứừửữựỳýỷỹỵ]`).MatchString(out) {
		t.Errorf("Vietnamese in the English summary:\n%s", out)
	}
}
