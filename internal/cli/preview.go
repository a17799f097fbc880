package cli

import (
	"context"
	"fmt"

	"github.com/vnportal/portal/internal/preview"
)

func runPreview(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "preview")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml, content/, themes/)")
	addr := fs.String("addr", "127.0.0.1:1313", "địa chỉ lắng nghe HOST:PORT")
	noDrafts := fs.Bool("no-drafts", false, "không hiển thị bản nháp")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "portal preview: không nhận tham số %q; xem 'portal preview --help'\n", fs.Arg(0))
		return ExitUsage
	}
	if !needSite(env, "preview", *source, true) {
		return ExitUsage
	}
	err := preview.Run(ctx, *addr, preview.Options{SiteDir: *source, Drafts: !*noDrafts, Stdout: env.Stdout, Stderr: env.Stderr})
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal preview: %v\n", err)
		return ExitError
	}
	fmt.Fprintln(env.Stdout, "Đã dừng xem trước.")
	return ExitOK
}
