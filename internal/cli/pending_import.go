package cli

import (
	"context"
	"fmt"
)

// TEMPORARY: replaced by import.go when the import command lands (delete this file then).
func runImport(_ context.Context, env Env, _ []string) int {
	fmt.Fprintln(env.Stderr, "portal import: not built yet")
	return ExitError
}
