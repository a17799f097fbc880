package cli

import (
	"context"

	"github.com/vnportal/portal/internal/preview"
)

func runPreview(ctx context.Context, env Env, args []string) int {
	fs := newFlags(env, "preview")
	source := fs.String("source", ".", "thư mục của trang (chứa config.toml, content/, themes/)")
	addr := fs.String("addr", "127.0.0.1:1313", "địa chỉ lắng nghe HOST:PORT; địa chỉ khác 127.0.0.1, ::1, localhost cần --allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "cho phép lắng nghe trên địa chỉ mạng (ví dụ --addr 0.0.0.0:1313) và trả lời\nyêu cầu gửi tới các địa chỉ của máy: ai kết nối được tới máy đều xem được bản nháp")
	var hosts multiFlag
	fs.Var(&hosts, "host", "trả lời cả yêu cầu gửi tới tên máy `NAME` (ở mọi cổng, ví dụ sau một reverse proxy);\nlặp lại cho nhiều tên. mọi tên khác bị từ chối (403) để chặn DNS rebinding")
	noDrafts := fs.Bool("no-drafts", false, "không hiển thị bản nháp")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		env.printf(env.Stderr, "portal preview: không nhận tham số %q; xem 'portal preview --help'\n", fs.Arg(0))
		return ExitUsage
	}
	if err := preview.CheckAddr(*addr, *allowRemote); err != nil {
		env.printf(env.Stderr, "portal preview: %v\n", err)
		return ExitUsage
	}
	for _, h := range hosts {
		if _, err := preview.CleanHost(h); err != nil {
			env.printf(env.Stderr, "portal preview: %v\n", err)
			return ExitUsage
		}
	}
	if !needSite(env, "preview", source, true) {
		return ExitUsage
	}
	err := preview.Run(ctx, *addr, preview.Options{SiteDir: *source, Drafts: !*noDrafts, Stdout: env.Stdout, Stderr: env.Stderr,
		AllowRemote: *allowRemote, Hosts: hosts, Lang: env.Lang})
	if err != nil {
		env.printf(env.Stderr, "portal preview: %v\n", err)
		return ExitError
	}
	env.println(env.Stdout, "Đã dừng xem trước.")
	return ExitOK
}
