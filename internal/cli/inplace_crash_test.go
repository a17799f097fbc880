package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// Environment of the crash child (TestInPlaceCrashChild): the build's arguments, one
// per line, and the step of the output's commit at which it kills itself: "planned",
// "journaled", or "rename:N" (after the N-th rename).
const (
	envCrashArgs = "PORTAL_CLITEST_CRASH_ARGS"
	envCrashAt   = "PORTAL_CLITEST_CRASH_AT"
)

// TestInPlaceCrashChild is not a test: TestBuildKilledWhileUpdatingInPlace runs the test
// binary with it to get a real `portal build` process that SIGKILLs itself at a named
// step of the in-place update.
func TestInPlaceCrashChild(t *testing.T) {
	args, at := os.Getenv(envCrashArgs), os.Getenv(envCrashAt)
	if args == "" {
		t.Skip("only run as the crash child of TestBuildKilledWhileUpdatingInPlace")
	}
	renames := 0
	ctx := publish.WithStep(context.Background(), func(name string) {
		if strings.HasPrefix(name, "renamed ") {
			renames++
			name = fmt.Sprintf("rename:%d", renames)
		}
		if name == at {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	})
	env := Env{Stdout: io.Discard, Stderr: os.Stderr, Getenv: func(string) string { return "" }}
	code := runBuild(ctx, env, strings.Split(args, "\n"))
	t.Fatalf("the build was not killed at %s (exit %d)", at, code)
}

// withoutIndex returns the tree without the search index (an index updated in place is
// equivalent to a full build's, not byte-identical: see ARCHITECTURE.md).
func withoutIndex(tree map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range tree {
		if !strings.HasPrefix(k, ".search/") {
			out[k] = v
		}
	}
	return out
}

// TestBuildKilledWhileUpdatingInPlace edits an article's title (its page, the lists,
// feeds, sitemap and the search index change), then kills a real build process at
// steps of its in-place update. Before the journal the output must be exactly the old
// site; from the journal on, `portal serve` at start finishes it, and the output is
// then exactly what a clean build of the new sources gives, index included (searched
// through the server). The next build after a kill publishes as usual.
func TestBuildKilledWhileUpdatingInPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"planned", "journaled", "rename:1", "rename:5"} {
		t.Run(at, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			root := sitetest.RepoRoot(t)
			site := t.TempDir()
			for _, d := range []string{"content", "themes"} {
				sitetest.CopyTree(t, filepath.Join(root, d), filepath.Join(site, d))
			}
			cfg, err := os.ReadFile(filepath.Join(root, "config.toml"))
			if err != nil {
				t.Fatal(err)
			}
			sitetest.WriteFiles(t, site, map[string]string{"config.toml": string(cfg)})
			cache := filepath.Join(t.TempDir(), "cache")
			public := filepath.Join(site, "public")
			args := []string{"--source", site, "--cache-dir", cache}
			if code, _, errOut := authorRun(t, append([]string{"build"}, args...)...); code != ExitOK {
				t.Fatalf("first build: exit %d\n%s", code, errOut)
			}
			old := withoutIndex(sitetest.ReadTree(t, public))

			article := filepath.Join(site, "content", "tin-tuc", "hoi-nghi-tap-huan-cong-tac-qlnn-ve-bcvt-va-cntt-nam-2007.md")
			b, err := os.ReadFile(article)
			if err != nil {
				t.Fatal(err)
			}
			const word = "Xuyênsuốtkiểmthử"
			edited := strings.Replace(string(b), `title: "Hội nghị tập huấn`, `title: "`+word+` Hội nghị tập huấn`, 1)
			if edited == string(b) {
				t.Fatal("the article's title line is not where the test expects it")
			}
			if err := os.WriteFile(article, []byte(edited), 0o644); err != nil {
				t.Fatal(err)
			}
			ref := filepath.Join(t.TempDir(), "ref")
			if code, _, errOut := authorRun(t, "build", "--source", site, "--destination", ref, "--no-cache"); code != ExitOK {
				t.Fatalf("reference build: exit %d\n%s", code, errOut)
			}
			want := withoutIndex(sitetest.ReadTree(t, ref))
			if maps.Equal(old, want) {
				t.Fatal("the edit changed nothing in the output")
			}

			cmd := exec.Command(exe, "-test.run=^TestInPlaceCrashChild$")
			cmd.Env = append(os.Environ(), envCrashArgs+"="+strings.Join(args, "\n"), envCrashAt+"="+at)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(err.Error(), "killed") {
				t.Fatalf("the build was not killed at %s: %v\n%s", at, err, out)
			}
			if at == "planned" {
				if got := withoutIndex(sitetest.ReadTree(t, public)); !maps.Equal(got, old) {
					t.Fatal("a build killed before its journal changed the output")
				}
			}

			// A static host runs `portal recover` before its web server: the output is then
			// the new site, as a clean build gives it.
			if at == "rename:5" {
				code, out, errOut := authorRun(t, "recover", "--source", site)
				if code != ExitOK || !strings.Contains(out, "đầy đủ") {
					t.Fatalf("portal recover: exit %d\n%s%s", code, out, errOut)
				}
				if got := withoutIndex(sitetest.ReadTree(t, public)); !maps.Equal(got, want) {
					t.Fatalf("after portal recover the output is not the new site: %s", treeDiff(got, want))
				}
			}

			// portal serve finishes (or drops) what the killed build left, then serves it.
			ctx, cancel := context.WithCancel(context.Background())
			var sout, serr syncBuffer
			done := make(chan int)
			go func() {
				done <- runServe(ctx, Env{Stdout: &sout, Stderr: &serr, Getenv: func(string) string { return "" }}, []string{"--source", site, "--addr", "127.0.0.1:0"})
			}()
			defer func() { cancel(); <-done }()
			var base string
			for deadline := time.Now().Add(20 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				base = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(sout.String())
			}
			if base == "" {
				t.Fatalf("portal serve did not start: %s %s", sout.String(), serr.String())
			}
			got := withoutIndex(sitetest.ReadTree(t, public))
			rolledForward := at != "planned"
			switch {
			case rolledForward && !maps.Equal(got, want):
				t.Fatalf("after recovery the output is not the new site: %s", treeDiff(got, want))
			case !rolledForward && !maps.Equal(got, old):
				t.Fatalf("after recovery the output is not the old site: %s", treeDiff(got, old))
			}
			if leftovers, _ := filepath.Glob(filepath.Join(site, ".public.tmp-*")); len(leftovers) > 0 {
				t.Errorf("recovery left %v", leftovers)
			}
			page := getBody(t, base+"/tin-tuc/hoi-nghi-tap-huan-cong-tac-qlnn-ve-bcvt-va-cntt-nam-2007/")
			if strings.Contains(page, word) != rolledForward {
				t.Errorf("the served page shows the new title: %v, want %v", !rolledForward, rolledForward)
			}
			var res struct {
				Total int `json:"total"`
			}
			if err := json.Unmarshal([]byte(getBody(t, base+"/api/search?q="+url.QueryEscape(word))), &res); err != nil {
				t.Fatal(err)
			}
			if (res.Total == 1) != rolledForward {
				t.Errorf("searching the new title's word finds %d articles (new site: %v)", res.Total, rolledForward)
			}

			// The next build publishes the new sources over whatever is there.
			if code, _, errOut := authorRun(t, append([]string{"build"}, args...)...); code != ExitOK {
				t.Fatalf("build after the kill: exit %d\n%s", code, errOut)
			}
			if got := withoutIndex(sitetest.ReadTree(t, public)); !maps.Equal(got, want) {
				t.Fatalf("the build after the kill differs from a clean build: %s", treeDiff(got, want))
			}
		})
	}
}

// treeDiff names a few paths where two trees differ.
func treeDiff(got, want map[string]string) string {
	var d []string
	for k, v := range got {
		if w, ok := want[k]; !ok {
			d = append(d, "extra "+k)
		} else if w != v {
			d = append(d, "differs "+k)
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		}
	}
	if len(d) > 8 {
		d = append(d[:8], fmt.Sprintf("… %d more", len(d)-8))
	}
	return strings.Join(d, ", ")
}
