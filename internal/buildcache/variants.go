package buildcache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// VariantsDir is the folder of the cache folder that keeps image variants.
const VariantsDir = "variants"

// Variants keeps the image variants a build encoded (internal/photo), by file name: the
// names are fingerprints of the source's content and the processing settings
// (photo.Name), so a variant found is the right one and an unchanged rebuild decodes and
// encodes no image. Files are written whole (a temporary file renamed), so a crash
// leaves no partial variant under its name.
type Variants struct{ dir string }

// OpenVariants returns the variants store of the cache folder dir, creating it.
func OpenVariants(dir string) (*Variants, error) {
	d := filepath.Join(dir, VariantsDir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, fmt.Errorf("không tạo được thư mục ảnh trong bộ nhớ đệm: %w", err)
	}
	return &Variants{dir: d}, nil
}

func validVariantName(name string) bool {
	return name != "" && !strings.ContainsAny(name, `/\`) && name[0] != '.'
}

// Path returns where the variant name is kept, and whether it is there.
func (v *Variants) Path(name string) (string, bool) {
	if !validVariantName(name) {
		return "", false
	}
	p := filepath.Join(v.dir, name)
	fi, err := os.Lstat(p)
	return p, err == nil && fi.Mode().IsRegular() && fi.Size() > 0
}

// Put keeps the variant name and returns its path.
func (v *Variants) Put(name string, data []byte) (string, error) {
	if !validVariantName(name) {
		return "", fmt.Errorf("tên biến thể ảnh không hợp lệ: %q", name)
	}
	f, err := os.CreateTemp(v.dir, ".tmp-")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	p := filepath.Join(v.dir, name)
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return p, nil
}

// Prune removes the variants not in used (after a successful build) when they outnumber
// the used ones, so that the folder follows the site without thrashing when a build
// goes back and forth between two sets of settings. It returns how many it removed.
func (v *Variants) Prune(used map[string]bool) (int, error) {
	entries, err := os.ReadDir(v.dir)
	if err != nil {
		return 0, err
	}
	var stale []string
	for _, e := range entries {
		if !used[e.Name()] {
			stale = append(stale, e.Name())
		}
	}
	if len(stale) <= len(used) {
		return 0, nil
	}
	n := 0
	for _, name := range stale {
		if err := os.Remove(filepath.Join(v.dir, name)); err == nil {
			n++
		}
	}
	return n, nil
}
