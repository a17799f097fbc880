package buildcache

import "path/filepath"

// Dir is a folder whose files' identities are asked for by their slash paths inside it
// (the output folder, whose every page a build with its cache checks): on Linux through
// the folder opened once (fstatat), so that each look-up does not resolve the folder's
// own path again (dir_linux.go); elsewhere by the joined path.
type Dir struct {
	path string
	fd   int // -1: by path
}

// Path is the folder's path.
func (d *Dir) Path() string { return d.path }

// Stat is the identity of the regular file at rel inside d (Stat's rules).
func (d *Dir) Stat(rel string) (FileID, error) {
	rel = filepath.FromSlash(rel)
	if d.fd < 0 || !filepath.IsLocal(rel) { // ".." or an absolute path: as Join has it
		return Stat(filepath.Join(d.path, rel))
	}
	return statAt(d.fd, d.path, rel)
}
