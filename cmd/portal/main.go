// Command portal builds, serves and previews Vietnamese provincial news portals.
package main

import (
	"os"

	"github.com/vnportal/portal/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
