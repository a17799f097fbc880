package publish

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/message"
)

// ManifestName is the file, at the top of an output folder, in which a build records
// what it published. The name starts with a dot: the file server never serves it.
const ManifestName = ".portal.json"

// manifestFormat is the version of the manifest's fields.
const manifestFormat = 1

// Manifest is what a build records about the output it published. It holds no time
// and no random value: an unchanged rebuild writes the same bytes.
type Manifest struct {
	Format int `json:"format"`
	// Articles is the number of published articles (standalone pages not counted): the
	// next build compares its own count with it before it replaces the output.
	Articles int `json:"articles"`
	// Assets are the fingerprinted CSS and JS files: the server renders its search
	// results page with them instead of computing them again.
	Assets Assets `json:"assets"`
	// Sources maps each content file that has pages in the output ("content/tin-tuc/x.md")
	// to the output files that belong to it: the next build keeps them, as they are, for
	// an article it holds back because the file now has errors. Articles counts the held
	// back articles it keeps.
	Sources map[string]Published `json:"sources,omitempty"`
	// Organization is the organisation data this output was built with (data/to-chuc.toml
	// merged with config.toml, as JSON): a later build whose file has errors uses it.
	Organization json.RawMessage `json:"organization,omitempty"`
}

// Published is what one content file has in the output folder.
type Published struct {
	// Files are its output paths ("tin-tuc/x/index.html", its aliases, its bundle's
	// files, and for a held-back article the older assets its page still uses), sorted.
	Files []string `json:"files"`
	// Page is true for a standalone page, which Articles does not count.
	Page bool `json:"page,omitempty"`
}

// Encode returns the manifest as it is written into the output folder.
func (m Manifest) Encode() []byte {
	m.Format = manifestFormat
	b, _ := json.Marshal(m) // strings, numbers and a map (sorted keys): cannot fail
	return append(b, '\n')
}

// ErrNoManifest is returned by ReadManifest for an output folder without a manifest
// (never built, or built by an older portal).
var ErrNoManifest = message.Errorf("thư mục đầu ra chưa có tệp .portal.json (dựng bằng bản portal cũ, hoặc chưa dựng)")

// ReadManifest reads the manifest of the output folder dest.
func ReadManifest(dest string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dest, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, ErrNoManifest
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, message.Errorf("%s bị hỏng: %v (hãy dựng lại trang)", filepath.Join(dest, ManifestName), err)
	}
	if m.Format != manifestFormat {
		return m, message.Errorf("%s có định dạng %d, bản portal này đọc định dạng %d", filepath.Join(dest, ManifestName), m.Format, manifestFormat)
	}
	return m, nil
}

// ReadManifestArticles returns the Articles of the manifest of the output folder dest,
// with the errors of ReadManifest for a missing file, one that is not JSON where it is
// read, or another format. It reads the fields in order and stops once it has the format
// and the count, which Encode writes first: the shrink guard of every build needs only
// the count, and at 100,000 articles the file lists after it are 19 MB of JSON that
// decoding whole would turn into 100,000 map entries. A damaged part after the count is
// not noticed here (ReadManifest, for a held-back article, still reports it).
func ReadManifestArticles(dest string) (int, error) {
	name := filepath.Join(dest, ManifestName)
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return 0, ErrNoManifest
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	damaged := func(err error) (int, error) {
		return 0, message.Errorf("%s bị hỏng: %v (hãy dựng lại trang)", name, err)
	}
	dec := json.NewDecoder(bufio.NewReaderSize(f, 4<<10))
	if t, err := dec.Token(); err != nil {
		return damaged(err)
	} else if t != json.Delim('{') {
		return damaged(errors.New("không phải một đối tượng JSON"))
	}
	format, articles, seen := 0, 0, 0
	for seen < 2 && dec.More() {
		t, err := dec.Token()
		if err != nil {
			return damaged(err)
		}
		var into any = &json.RawMessage{} // a field other than these two: skipped
		switch t {
		case "format":
			into, seen = &format, seen+1
		case "articles":
			into, seen = &articles, seen+1
		}
		if err := dec.Decode(into); err != nil {
			return damaged(err)
		}
	}
	if seen < 2 {
		if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) { // the closing brace
			return damaged(err)
		}
	}
	if format != manifestFormat {
		return 0, message.Errorf("%s có định dạng %d, bản portal này đọc định dạng %d", name, format, manifestFormat)
	}
	return articles, nil
}
