//go:build !nodynamic

package photo

import (
	"os"
	"testing"
)

// Without the nodynamic build tag, github.com/gen2brain/webp looks for a system libwebp
// at start-up (dlopen through purego) and uses it when found: the output would depend on
// the machine, and the binary is no longer static. Builds and tests use
// `-tags nodynamic` (README, .ci/run); CI fails without it.
func TestBuiltWithNodynamic(t *testing.T) {
	if os.Getenv("CI") != "" {
		t.Fatal("built without -tags nodynamic: the WebP encoder may load a system libwebp; build and test with -tags nodynamic")
	}
	t.Skip("built without -tags nodynamic (CI requires it): see README, Building")
}
