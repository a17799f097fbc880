package cli

import (
	"context"
	"net"
	"path/filepath"
	"time"

	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/watch"
)

// runServeWatch is `portal serve --watch`: build the site into public/, serve it, and
// publish every saved change and every scheduled article on time (internal/watch).
func runServeWatch(ctx context.Context, env Env, source, addr string, allowShrink bool) int {
	opts := watch.Options{SiteDir: source, Stderr: env.Stderr, Lang: env.Lang, AllowShrink: allowShrink}
	if env.Now != nil {
		opts.Clock = envClock{env.Now}
	}
	public := filepath.Join(source, "public")
	err := watch.Run(ctx, addr, opts, func(ln net.Listener) {
		env.printf(env.Stdout, "Đang phục vụ %s tại %s, dựng lại khi tệp thay đổi và đúng giờ hẹn (Ctrl+C để dừng)\n", public, server.URL(ln))
	})
	if err != nil {
		env.printf(env.Stderr, "portal serve: %v\n", err)
		return ExitError
	}
	env.println(env.Stdout, "Đã dừng máy chủ.")
	return ExitOK
}

// envClock is Env.Now as a watch.Clock: the time it gives, and real waits.
type envClock struct{ now func() time.Time }

func (c envClock) Now() time.Time                         { return c.now() }
func (c envClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
