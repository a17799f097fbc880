package hardening

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// inputSite writes a one-article site and returns its folder.
func inputSite(t *testing.T) string {
	t.Helper()
	return sitetest.NewSite(t, map[string]string{
		"config.toml":          "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử nghiệm\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Hội nghị\"\ndate: 2024-03-01\n---\nNội dung.\n",
	})
}

// Hardening II, item 2: symbolic links in input folders must not publish the build
// machine's files; item 7: a FIFO must not hang the build. One rule everywhere: links and
// special files are not read; each is an error naming the file, and nothing is published.
func TestInputFoldersRefuseLinksOutAndSpecialFiles(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "bi-mat.txt")
	if err := os.WriteFile(secret, []byte("root:x:0:0:BI-MAT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, rel string
		make      func(p string) error
		want      string
	}{
		{"static symlink out", "static/passwd.txt", func(p string) error { return os.Symlink(secret, p) }, "liên kết tượng trưng (symlink) tới " + secret},
		{"layout symlink out", "layouts/404.html", func(p string) error { return os.Symlink(secret, p) }, "liên kết tượng trưng"},
		{"theme static symlink out", "themes/default/static/x.css", func(p string) error { return os.Symlink(secret, p) }, "liên kết tượng trưng"},
		{"broken symlink", "static/hong.txt", func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(p), "khong-co"), p) }, "liên kết tượng trưng"},
		{"FIFO in static", "static/ong.txt", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "không phải tệp thường"},
		{"content symlink out", "content/tin-tuc/bi-mat.md", func(p string) error { return os.Symlink(secret, p) }, "liên kết tượng trưng"},
		{"bundle resource symlink", "content/tin-tuc/bai/anh.txt", func(p string) error {
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), "index.md"), []byte("---\ntitle: \"Bài\"\ndate: 2024-03-02\n---\nx\n"), 0o644); err != nil {
				return err
			}
			return os.Symlink(secret, p)
		}, "liên kết tượng trưng"},
		{"FIFO in content", "content/tin-tuc/ong.md", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "không phải tệp thường"},
		{"link inside the site", "static/bieu-mau.txt", func(p string) error {
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), "..", "config-copy.txt"), []byte("x"), 0o644); err != nil {
				return err
			}
			return os.Symlink(filepath.Join("..", "config-copy.txt"), p)
		}, "liên kết tượng trưng"},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := inputSite(t)
			p := filepath.Join(site, filepath.FromSlash(c.rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := c.make(p); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			out, err := runPortal(t, time.Minute, "build", "--source", site)
			if err == nil || !strings.Contains(out, c.rel) || !strings.Contains(out, c.want) {
				t.Errorf("portal build: %v after %s\n%s\nwant a failure naming %s (%q)", err, time.Since(start).Round(time.Millisecond), out, c.rel, c.want)
			}
			if strings.Contains(out, "BI-MAT") {
				t.Error("the secret file's content reached the output")
			}
			if _, err := os.Stat(filepath.Join(site, "public")); !os.IsNotExist(err) {
				t.Error("the refused build published an output folder")
			}
			if out, err := runPortal(t, time.Minute, "check", "--source", site); err == nil || !strings.Contains(out, c.rel) {
				t.Errorf("portal check: %v\n%s\nwant a finding naming %s", err, out, c.rel)
			}
		})
	}

}
