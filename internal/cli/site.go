package cli

import (
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/message"
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
	fi, err := os.Stat(filepath.Join(dir, config.FileName))
	noConfig := err != nil || !fi.Mode().IsRegular()
	noContent := false
	if content {
		fi, err := os.Stat(filepath.Join(dir, "content"))
		noContent = err != nil || !fi.IsDir()
	}
	var what message.Text
	switch {
	case noConfig && noContent:
		what = message.New("%s và thư mục content/", config.FileName)
	case noConfig:
		what = message.New("%s", config.FileName)
	case noContent:
		what = message.New("thư mục content/")
	default:
		return true
	}
	env.printf(env.Stderr, "portal %s: %s không phải thư mục của một trang: không có %v.\n", cmd, abs, what)
	env.printf(env.Stderr, "  Chạy lệnh trong thư mục của trang, hoặc chỉ ra thư mục đó bằng --source DIR.\n")
	env.printf(env.Stderr, "  Nếu thư mục nằm trên ổ mạng, kiểm tra ổ đã được kết nối chưa.\n")
	env.printf(env.Stderr, "  Để bắt đầu một trang mới: tạo %s (xem README.md) và thư mục content/ rồi thêm bài bằng 'portal new'.\n", config.FileName)
	return false
}
