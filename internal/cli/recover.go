package cli

import (
	"context"
	"path/filepath"

	"github.com/vnportal/portal/internal/publish"
)

// runRecover finishes what a killed `portal build` left in the output folder (its
// journal: roll forward to the new site; a staging folder without one: dropped), as
// `portal build` and `portal serve` do before anything else. A static host whose web
// server reads public/ directly runs it at boot or before the web server starts, so
// that it never serves a half-updated folder until the next build.
func runRecover(_ context.Context, env Env, args []string) int {
	fs := newFlags(env, "recover")
	source := fs.String("source", ".", "thư mục của trang")
	dest := fs.String("destination", "", "thư mục đầu ra (mặc định <source>/public)")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		env.printf(env.Stderr, "portal recover: không nhận tham số %q; xem 'portal recover --help'\n", fs.Arg(0))
		return ExitUsage
	}
	out := *dest
	if out == "" {
		out = filepath.Join(*source, "public")
	}
	if err := publish.Recover(out); err != nil {
		env.printf(env.Stderr, "portal recover: %v\n", err)
		return ExitError
	}
	env.printf(env.Stdout, "portal recover: %s đầy đủ, không còn phần dở dang của lần dựng bị ngắt\n", out)
	return ExitOK
}
