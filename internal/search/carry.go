package search

import (
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// Updating an index without copying it. A scorch index is a few immutable segment files
// (store/*.zap: written once, never changed, removed when merged away) and small files
// that change (store/root.bolt, the snapshot list and deletions; hashes.json; the
// manifest). An incremental build therefore hard-links the previous generation's
// segments into the new folder and copies only the small files; bleve then adds a segment
// for the changed documents and records the replaced ones as deleted in its copy of
// root.bolt. The previous generation's files are not changed: a linked segment is only
// read, and a merged-away one is unlinked from the new folder only.
//
// A file read and found right once need not be read again while it is the same file:
// `checked` keeps, per listed path, the file verified (its identity: device, inode, size,
// modification time) with the sum it matched. The new manifest takes a linked segment's
// sum from the previous one, and Live, opening the next generation, reads only the files
// that are not the very files it verified when it opened the current one (after an edit:
// the new segment and the small files).

// checkedFile is one file of an index verified against its manifest entry.
type checkedFile struct {
	sum fileSum
	fi  fs.FileInfo
}

// checked maps an index's relative paths to the files verified at them.
type checked map[string]checkedFile

// same reports whether fi is the file verified at rel with the sum want, unchanged.
func (c checked) same(rel string, fi fs.FileInfo, want fileSum) bool {
	k, ok := c[rel]
	return ok && k.sum == want && os.SameFile(k.fi, fi) && k.fi.Size() == fi.Size() && k.fi.ModTime().Equal(fi.ModTime())
}

// immutable reports whether the index file rel is never changed once written (a zap
// segment), so that a new generation may share it by a hard link.
func immutable(rel string) bool {
	return path.Dir(rel) == "store" && strings.HasSuffix(rel, ".zap")
}

// carryOver puts the files of the previous index prev (listed in m, verified as seen)
// into dir: segments by a hard link (copied where the file system cannot link), the
// other files by a copy checked against m. It returns the linked files with their sums,
// for the new manifest.
func carryOver(ctx context.Context, prev, dir string, m manifest, seen checked) (checked, error) {
	linked := checked{}
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !safeRel(f.Path) {
			return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: danh sách tệp có đường dẫn không hợp lệ %q", prev, f.Path)
		}
		src, dst := filepath.Join(prev, filepath.FromSlash(f.Path)), filepath.Join(dir, filepath.FromSlash(f.Path))
		if !immutable(f.Path) {
			if err := copyFileVerified(src, dst, f); err != nil {
				return nil, err
			}
			continue
		}
		if err := linkOrCopy(src, dst, f); err != nil {
			return nil, err
		}
		fi, err := os.Lstat(dst)
		if err != nil {
			return nil, err
		}
		if k, ok := seen[f.Path]; ok && os.SameFile(k.fi, fi) {
			linked[f.Path] = checkedFile{sum: f, fi: fi}
		}
	}
	return linked, nil
}
