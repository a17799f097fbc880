package themecheck

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// canaryHTML is invalid in three ways the checker must report: a <div> inside <p>
// closes the paragraph (stray </p>), an unknown attribute, and a duplicate id.
const canaryHTML = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head>` +
	`<body><p id="a">x<div>y</div></p><span id="a" foo="1">z</span></body></html>`

// TestHTMLValidity checks the built HTML of both sites with the Nu HTML Checker: every
// HTML file of the build, plus the pages only the server renders (search results, the
// empty search, the 404 response), in one invocation because the checker is slow to
// start. A deliberately invalid canary file is checked with them to prove the checker
// ran and reports errors.
func TestHTMLValidity(t *testing.T) {
	t.Parallel()
	jar := npmFile(t, VNUPath)
	java := javaPath(t)
	sites := serveBoth(t)

	served := t.TempDir()
	canary := filepath.Join(served, "canary.html")
	if err := os.WriteFile(canary, []byte(canaryHTML), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{canary}
	names := map[string]string{canary: "canary"}
	for _, s := range sites {
		err := filepath.WalkDir(s.Dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != s.Dest {
				return filepath.SkipDir // the search index
			}
			if !d.IsDir() && strings.HasSuffix(p, ".html") {
				rel, _ := filepath.Rel(s.Dest, p)
				files = append(files, p)
				names[p] = s.Name + ": /" + filepath.ToSlash(rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, tg := range s.Targets {
			if !strings.Contains(tg.Path, "?") && tg.Name != "404" {
				continue // a built file, already in the list
			}
			status, body := fetch(t, s.URL, tg.Path)
			if want := http.StatusOK; tg.Name == "404" {
				if status != http.StatusNotFound {
					t.Errorf("%s %s: status %d, want 404", s.Name, tg.Path, status)
				}
			} else if status != want {
				t.Errorf("%s %s: status %d, want %d", s.Name, tg.Path, status, want)
			}
			p := filepath.Join(served, fmt.Sprintf("%s-%02d.html", s.Name, i))
			if err := os.WriteFile(p, body, 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
			names[p] = s.Name + ": " + tg.Path + " (served)"
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	// -Xss: the checker needs a large stack for its schema; --no-langdetect skips the
	// language guesser, which only produces warnings and doubles the start-up time.
	args := append([]string{"-Xss4m", "-jar", jar, "--errors-only", "--no-langdetect", "--format", "json", "--stdout"}, files...)
	cmd := exec.CommandContext(ctx, java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it finds errors, as it must for the canary
	rep, err := ParseVNU(stdout.Bytes())
	if err != nil {
		t.Fatalf("running the Nu HTML Checker: %v (exit: %v)\nstderr: %s", err, runErr, stderr.String())
	}

	byFile := map[string][]VNUMessage{}
	for _, m := range rep.Messages {
		if m.IsError() {
			byFile[m.File()] = append(byFile[m.File()], m)
		}
	}
	if n := len(byFile[canary]); n < 3 {
		t.Errorf("the checker reported %d errors on the invalid canary page, want at least 3: %v", n, byFile[canary])
	}
	delete(byFile, canary)
	keys := make([]string, 0, len(byFile))
	for k := range byFile {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := names[k]
		if name == "" {
			name = k
		}
		for _, m := range byFile[k] {
			t.Errorf("%s:%s", name, m)
		}
	}
	t.Logf("checked %d HTML files", len(files)-1)
}
