package cli

import (
	"context"
	"fmt"
)

// TEMPORARY: replaced by new.go when the new command lands (delete this file then).
func runNew(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stderr, "portal new: not built yet")
	return ExitError
}
