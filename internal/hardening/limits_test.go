package hardening

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/sitetest"
)

// Hardening II, items 4, 5, 6 and 8: one file must not crash, stall or flood a build.
// Each of the probe's files is refused by build and check alike, quickly, with a
// Vietnamese message naming the file (and line) and the limit in config.toml, and the
// process exits 1 (a content error), not 2 with a runtime dump.
func TestLimitsRefuseHostileFiles(t *testing.T) {
	big := func(n int, s string) string { return strings.Repeat(s, n) }
	tags := make([]string, 10000)
	for i := range tags {
		tags[i] = fmt.Sprintf("\"thẻ %d\"", i)
	}
	for _, c := range []struct {
		name, file string
		body       func() []byte
		want       string // in the message
		line       string // the position, "path:line"
	}{
		{"TOML nesting (stack overflow before)", "content/tin-tuc/toml.md", func() []byte {
			return []byte("+++\ntitle = \"Bài\"\ndate = 2024-01-01\nx = " + big(2_000_000, "[") + big(2_000_000, "]") + "\n+++\nNội dung.\n")
		}, "limits.maxNesting", "toml.md:4:"},
		{"JSON nesting", "content/tin-tuc/json.md", func() []byte {
			return []byte("{\n\"title\": \"Bài\", \"date\": \"2024-01-01\",\n\"x\": " + big(5000, "[") + big(5000, "]") + "\n}\n\nNội dung.\n")
		}, "limits.maxNesting", "json.md:3:"},
		{"10,000 tags (3.6 GB of output before)", "content/tin-tuc/the.md", func() []byte {
			return []byte("---\ntitle: \"Bài\"\ndate: 2024-01-01\ntags: [" + strings.Join(tags, ", ") + "]\n---\nNội dung.\n")
		}, "limits.maxTerms", "the.md:4:"},
		{"100,000 '>' (9 s of goldmark before)", "content/tin-tuc/quote.md", func() []byte {
			return []byte("---\ntitle: \"Bài\"\ndate: 2024-01-01\n---\nMở đầu.\n\n" + big(100_000, ">") + " trích\n")
		}, "limits.maxNesting", "quote.md:7:"},
		{"a list 1,000 levels deep", "content/tin-tuc/list.md", func() []byte {
			var b bytes.Buffer
			b.WriteString("---\ntitle: \"Bài\"\ndate: 2024-01-01\n---\n")
			for i := range 1000 {
				b.WriteString(big(i*2, " ") + "- mục\n")
			}
			return b.Bytes()
		}, "limits.maxNesting", "list.md:"},
		{"a 66 MB single-line article (6.7 GiB before)", "content/tin-tuc/dai.md", func() []byte {
			return []byte("---\ntitle: \"Bài\"\ndate: 2024-01-01\n---\n" + big(66<<20/8, "chữ dài ") + "\n")
		}, "limits.articleMaxKB", "dai.md:1:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := sitetest.NewSite(t, map[string]string{
				"config.toml":          "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử\"\n[search]\ndisabled = true\n",
				"content/tin-tuc/a.md": "---\ntitle: \"Bài lành\"\ndate: 2024-03-01\n---\nNội dung.\n",
			})
			if err := os.WriteFile(filepath.Join(site, filepath.FromSlash(c.file)), c.body(), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"build", "check"} {
				start := time.Now()
				out, err := runPortal(t, 2*time.Minute, cmd, "--source", site)
				took := time.Since(start)
				code := -1
				if ee, ok := err.(interface{ ExitCode() int }); ok {
					code = ee.ExitCode()
				}
				want := 1 // check: an error
				if cmd == "build" {
					want = 3 // the file is held back, the rest of the site published
				}
				if code != want || !strings.Contains(out, c.line) || !strings.Contains(out, c.want) || strings.Contains(out, "goroutine ") {
					t.Errorf("portal %s: exit %d after %s; want exit %d and %q at %q:\n%.2000s", cmd, code, took.Round(time.Millisecond), want, c.want, c.line, out)
				}
				if took > 20*time.Second {
					t.Errorf("portal %s took %s", cmd, took.Round(time.Millisecond))
				}
			}
		})
	}
}

// An article with many tags (under the limit) repeats at most 20 of them as <category>
// in each feed item: before, each of the article's tag feeds repeated all of them.
func TestFeedCategoriesBounded(t *testing.T) {
	tags := make([]string, 60)
	for i := range tags {
		tags[i] = fmt.Sprintf("\"thẻ %d\"", i)
	}
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":          "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài nhiều thẻ\"\ndate: 2024-03-01\ntags: [" + strings.Join(tags, ", ") + "]\n---\nNội dung.\n",
	})
	if out, err := runPortal(t, 2*time.Minute, "build", "--source", site); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	feeds, _ := filepath.Glob(filepath.Join(site, "public", "the", "*", "index.xml"))
	if len(feeds) != 60 {
		t.Fatalf("%d tag feeds, want 60", len(feeds))
	}
	cat := regexp.MustCompile(`<category>`)
	for _, f := range feeds[:3] {
		b, _ := os.ReadFile(f)
		if n := len(cat.FindAll(b, -1)); n == 0 || n > 20 {
			t.Errorf("%s: %d <category> elements, want 1 to 20", f, n)
		}
	}
}

// Hardening II, item 7: SIGTERM stops a busy build within a second, at any stage, and
// leaves the previous output untouched, with a Vietnamese message.
func TestSIGTERMStopsABusyBuild(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if err := corpus.Generate(site, 2000, 3); err != nil {
		t.Fatal(err)
	}
	for _, delay := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond, 4 * time.Second} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := portalCmd(ctx, t, "build", "--source", site, "--no-cache")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The delay counts from the moment the build has begun writing (its staging
		// folder exists), long after portal asks for SIGTERM: on a loaded machine a
		// signal sent 300 ms after the start could come before that, and meet the Go
		// runtime's default action (exit without a word) rather than portal's.
		waitStaging(t, site)
		time.Sleep(delay)
		sent := time.Now()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		took := time.Since(sent)
		cancel()
		if err == nil {
			t.Logf("after %s the build had already finished", delay) // a fast machine
			os.RemoveAll(filepath.Join(site, "public"))
			continue
		}
		if took > time.Second || !strings.Contains(out.String(), "Đã dừng") || strings.Contains(out.String(), "context canceled\n") {
			t.Errorf("SIGTERM after %s: stopped after %s, %v:\n%s", delay, took.Round(time.Millisecond), err, out.String())
		}
		if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
			t.Errorf("SIGTERM after %s: an output folder was published", delay)
		}
	}
	// A stopped build may leave its unfinished generation for the next one to remove.
	if out, err := runPortal(t, 2*time.Minute, "build", "--source", site, "--no-cache"); err != nil {
		t.Fatalf("the build after the stopped ones: %v\n%s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(site, ".public.tmp-*")); len(left) != 0 {
		t.Errorf("left behind after the next build: %v", left)
	}
}

// waitStaging waits until a build in site has created its staging folder beside the
// output (publish.Begin), for at most 30 s.
func waitStaging(t *testing.T, site string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if m, _ := filepath.Glob(filepath.Join(site, ".public.tmp-*")); len(m) > 0 {
			return
		}
	}
	t.Fatalf("no build began writing in %s within 30 s", site)
}
