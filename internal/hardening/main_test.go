package hardening

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/cli"
)

// envRunPortal makes the test binary behave as the portal command (see TestMain), so
// tests can run and kill a real `portal build` or `portal serve` process without
// compiling the command separately.
const envRunPortal = "PORTAL_HARDENING_RUN_PORTAL"

func TestMain(m *testing.M) {
	if os.Getenv(envRunPortal) == "1" {
		os.Exit(cli.Main(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// portalCmd returns a command that runs `portal args...` in a child process (this test
// binary re-executed with envRunPortal set).
func portalCmd(ctx context.Context, t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("cannot find the test binary to re-execute: %v", err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	// The build cache goes to the test's own folder, not the user's cache folder; the
	// messages are in the default language whatever the machine's locale (LANG).
	cmd.Env = append(os.Environ(), envRunPortal+"=1", "XDG_CACHE_HOME="+t.TempDir(), "LC_ALL=", "LC_MESSAGES=", "LANG=")
	return cmd
}

// runPortal runs `portal args...` to completion and returns its combined output.
func runPortal(t *testing.T, timeout time.Duration, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out bytes.Buffer
	cmd := portalCmd(ctx, t, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// manifest maps every regular file under root (slash-separated relative path) to the
// SHA-256 of its contents, skipping the folders named in skip (relative paths).
type manifest map[string]string

func hashTree(t *testing.T, root string, skip ...string) manifest {
	t.Helper()
	m := manifest{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			for _, s := range skip {
				if rel == s {
					return filepath.SkipDir
				}
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatalf("hashing %s: %v", root, err)
	}
	return m
}

// diff describes how two manifests differ, in a few lines.
func (m manifest) diff(o manifest) string {
	var lines []string
	for k, v := range m {
		if w, ok := o[k]; !ok {
			lines = append(lines, "only in first: "+k)
		} else if w != v {
			lines = append(lines, "differs: "+k)
		}
	}
	for k := range o {
		if _, ok := m[k]; !ok {
			lines = append(lines, "only in second: "+k)
		}
	}
	sort.Strings(lines)
	if len(lines) > 8 {
		lines = append(lines[:8], "…")
	}
	return strings.Join(lines, "; ")
}

func (m manifest) equal(o manifest) bool {
	if len(m) != len(o) {
		return false
	}
	for k, v := range m {
		if o[k] != v {
			return false
		}
	}
	return true
}
