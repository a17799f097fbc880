package cli

import (
	"context"
	"fmt"
)

// TEMPORARY: replaced by preview.go when the preview command lands (delete this file then).
func runPreview(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stderr, "portal preview: not built yet")
	return ExitError
}
