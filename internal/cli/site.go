package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/config"
)

// needSite reports whether dir is a site folder: it has config.toml and, when content
// is true, a content/ folder. When it is not, it explains in env.Stderr which folder
// was looked at and how to start a site, and the command exits with ExitUsage: a
// build in the wrong folder (or with a network share not mounted) must not publish an
// empty site, and `portal new` must not create content/ in a folder that is no site.
// An empty --source is the current folder.
func needSite(env Env, cmd string, source *string, content bool) bool {
	if *source == "" {
		*source = "."
	}
	dir := *source
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	var missing []string
	if fi, err := os.Stat(filepath.Join(dir, config.FileName)); err != nil || !fi.Mode().IsRegular() {
		missing = append(missing, config.FileName)
	}
	if content {
		if fi, err := os.Stat(filepath.Join(dir, "content")); err != nil || !fi.IsDir() {
			missing = append(missing, "thư mục content/")
		}
	}
	if len(missing) == 0 {
		return true
	}
	what := missing[0]
	if len(missing) == 2 {
		what = missing[0] + " và " + missing[1]
	}
	fmt.Fprintf(env.Stderr, "portal %s: %s không phải thư mục của một trang: không có %s.\n", cmd, abs, what)
	fmt.Fprintf(env.Stderr, "  Chạy lệnh trong thư mục của trang, hoặc chỉ ra thư mục đó bằng --source DIR.\n")
	fmt.Fprintf(env.Stderr, "  Nếu thư mục nằm trên ổ mạng, kiểm tra ổ đã được kết nối chưa.\n")
	fmt.Fprintf(env.Stderr, "  Để bắt đầu một trang mới: tạo %s (xem README.md) và thư mục content/ rồi thêm bài bằng 'portal new'.\n", config.FileName)
	return false
}
