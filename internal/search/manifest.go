package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/vnportal/portal/internal/message"
)

// manifestFile is the name of the manifest inside an index folder. It is
// written last, so an index folder without it is incomplete.
const manifestFile = "manifest.json"

// manifestFormat is the version of the on-disk layout (manifest, hash table,
// document fields). analysisVersion is the version of the analysis chain;
// an index built with another version is rebuilt from scratch.
const (
	manifestFormat  = 1
	analysisVersion = 5 // 2: all_f, facet and newest fields; 3: exact fields without term vectors; 4: no body_f, body compounds in body_c; 5: kinds, document facets and numbers
)

// manifest describes a finished index folder. It holds no time and no random value
// (see reuse.go): the same inputs give the same manifest.
type manifest struct {
	Format   int `json:"format"`
	Analysis int `json:"analysis"`
	// Generation is the digest of the index's inputs (digestInOrder): Live reopens when it
	// changes, and Build reuses the previous index as it is when it is the same.
	Generation string            `json:"generation"`
	Docs       uint64            `json:"docs"`
	Provinces  map[string]string `json:"provinces"`  // slug → display name, for facets
	Categories map[string]string `json:"categories"` // slug → display name, for facets
	Documents  docNames          `json:"documents"`  // the document facets' slug → display name
	Files      []fileSum         `json:"files"`
}

// fileSum is one file of the index with its size and CRC-32C checksum.
type fileSum struct {
	Path   string `json:"path"` // slash-separated, relative to the index folder
	Size   int64  `json:"size"`
	CRC32C uint32 `json:"crc32c"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func writeManifest(dir string, m manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, manifestFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("search: writing index manifest: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, manifestFile)); err != nil {
		return fmt.Errorf("search: writing index manifest: %w", err)
	}
	return nil
}

// readManifestKnown reads dir's manifest and checks every file it lists that is not one
// known to be right already (see checked), returning the files it found right.
func readManifestKnown(dir string, known checked) (manifest, checked, error) {
	m, err := readManifestOnly(dir)
	if err != nil {
		return m, nil, err
	}
	seen, err := verifyFilesKnown(dir, m, known)
	if err != nil {
		return m, nil, err
	}
	return m, seen, nil
}

// readManifestOnly reads and parses dir's manifest without checking files.
func readManifestOnly(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return m, message.Errorf("chưa có chỉ mục tìm kiếm ở %s (dựng trang để tạo nó)", dir)
		}
		return m, message.Errorf("chỉ mục tìm kiếm ở %s chưa đầy đủ: thiếu %s (lần dựng bị ngắt giữa chừng; hãy dựng lại trang)", dir, manifestFile)
	}
	if err != nil {
		return m, fmt.Errorf("reading search index manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %s: %v (hãy dựng lại trang)", dir, manifestFile, err)
	}
	if m.Format != manifestFormat {
		return m, message.Errorf("chỉ mục tìm kiếm ở %s có định dạng %d, bản portal này đọc định dạng %d (hãy dựng lại trang)", dir, m.Format, manifestFormat)
	}
	if m.Generation == "" || len(m.Files) == 0 {
		return m, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %s thiếu thế hệ hoặc danh sách tệp (hãy dựng lại trang)", dir, manifestFile)
	}
	return m, nil
}

// verifyFilesKnown checks that every file listed in m exists in dir with the recorded
// size and checksum, except that a file known to be right (the very file verified before
// with the same sum: see checked; nil: none) is not read again. It returns every
// listed file with the identity it was found right as.
func verifyFilesKnown(dir string, m manifest, known checked) (checked, error) {
	seen := make(checked, len(m.Files))
	for _, f := range m.Files {
		if !safeRel(f.Path) {
			return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: danh sách tệp có đường dẫn không hợp lệ %q", dir, f.Path)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if fi, err := os.Stat(p); err == nil && known.same(f.Path, fi, f) {
			seen[f.Path] = checkedFile{sum: f, fi: fi}
			continue
		}
		fi, err := checkFile(p, f, nil)
		if err != nil {
			return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %w (hãy dựng lại trang)", dir, err)
		}
		seen[f.Path] = checkedFile{sum: f, fi: fi}
	}
	return seen, nil
}

// checkFile reads path, compares size and checksum with want, and copies
// the content to w when w is not nil. It returns the file it read.
func checkFile(path string, want fileSum, w io.Writer) (fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, message.Errorf("thiếu tệp %s", want.Path)
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	h := crc32.New(castagnoli)
	var dst io.Writer = h
	if w != nil {
		dst = io.MultiWriter(h, w)
	}
	n, err := io.Copy(dst, f)
	if err != nil {
		return nil, message.Errorf("không đọc được tệp %s: %w", want.Path, err)
	}
	if n != want.Size {
		return nil, message.Errorf("tệp %s có %d byte, đúng ra phải có %d (bị cắt ngắn?)", want.Path, n, want.Size)
	}
	if h.Sum32() != want.CRC32C {
		return nil, message.Errorf("tệp %s sai mã kiểm tra (bị hỏng)", want.Path)
	}
	return fi, nil
}

func copyFileVerified(src, dst string, want fileSum) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := checkFile(src, want, out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// listFiles returns every regular file under dir (except the manifest) with
// its checksum, sorted by path, and their total size. A file known (see checked) is not
// read: its sum is the known one.
func listFiles(dir string, known checked) ([]fileSum, int64, error) {
	var files []fileSum
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == manifestFile || rel == manifestFile+".tmp" {
			return nil
		}
		if k, ok := known[rel]; ok {
			if fi, err := d.Info(); err == nil && known.same(rel, fi, k.sum) {
				files = append(files, k.sum)
				total += k.sum.Size
				return nil
			}
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := crc32.New(castagnoli)
		n, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		files = append(files, fileSum{Path: rel, Size: n, CRC32C: h.Sum32()})
		total += n
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search: listing index files: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, total, nil
}

// Count returns the number of documents in the finished index at dir, from its
// manifest (its files are not checked).
func Count(dir string) (int, error) {
	m, err := readManifestOnly(dir)
	if err != nil {
		return 0, err
	}
	return int(m.Docs), nil
}
