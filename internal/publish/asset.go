package publish

import (
	"bytes"

	"github.com/vnportal/portal/internal/message"
)

// Minify returns content minified by the minifier for rel's extension (unchanged when
// there is none). PrepareAsset uses it for assets, which are fingerprinted before they
// are written.
func Minify(rel string, content []byte) ([]byte, error) {
	mime := mimeFor(rel, false)
	if mime == "" {
		return content, nil
	}
	var out bytes.Buffer
	if err := newMinifier().Minify(mime, &out, bytes.NewReader(content)); err != nil {
		return nil, message.Errorf("không rút gọn được %s: %v", rel, err)
	}
	return out.Bytes(), nil
}
