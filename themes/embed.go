// Package themes embeds the default theme into the portal binary, so that a site without
// a themes/ folder of its own still builds. A site's themes/default/ folder, when present,
// takes precedence file by file (see internal/render.Layers).
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var files embed.FS

// Default returns the embedded default theme (its layouts/, static/, i18n/, archetypes/).
func Default() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}
