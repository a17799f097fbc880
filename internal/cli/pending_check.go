package cli

import (
	"context"
	"fmt"
)

// TEMPORARY: replaced by check.go when the check command lands (delete this file then).
func runCheck(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stderr, "portal check: not built yet")
	return ExitError
}
