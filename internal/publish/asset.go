package publish

import (
	"bytes"
	"fmt"
)

// Minify returns content minified by the minifier for rel's extension (unchanged when
// there is none). Use it for assets that are fingerprinted before they are written, so
// that the fingerprint and the integrity hash describe the bytes actually served.
func Minify(rel string, content []byte) ([]byte, error) {
	mime := mimeFor(rel, false)
	if mime == "" {
		return content, nil
	}
	var out bytes.Buffer
	if err := newMinifier().Minify(mime, &out, bytes.NewReader(content)); err != nil {
		return nil, fmt.Errorf("cannot minify %s: %v", rel, err)
	}
	return out.Bytes(), nil
}
