package search

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// An index is named by what it was built from, not by when: its generation (in the
// manifest) is a digest of its inputs, so that an unchanged rebuild can carry the
// previous index over as it is (hard links, the same bytes) instead of writing a new
// one, and the manifest holds no time and no random value.
//
// The inputs are the index format and analysis versions (bump analysisVersion when the
// mapping, the analyzers or the fields change) and, per document, its URL, content hash
// (Document.Hash: the assembler's hash of the source file, or contentHash), the fields
// that are in memory anyway (title, lead, date) and its terms' names and slugs. Their
// order does not matter.

// byURL returns the positions of docs in the order of their URLs.
func byURL(docs []preparedDoc) []int {
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(docs[a].url, docs[b].url) })
	return order
}

// digestInOrder is the generation of an index of docs: a digest of their digests
// (docDigest) in the order of their URLs, given (byURL's, or a Memo's kept order).
func digestInOrder(docs []preparedDoc, order []int) string {
	h := sha256.New()
	put := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(strconv.Itoa(len(s))))
			h.Write([]byte{':'})
			h.Write([]byte(s))
		}
	}
	put("portal search index", strconv.Itoa(manifestFormat), strconv.Itoa(analysisVersion))
	for _, i := range order {
		h.Write(docs[i].sum[:])
	}
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}

// docDigest is one prepared document's part of the generation: its URL, content hash,
// title, lead, date, terms and kind with its legal fields. A document kept by a Memo
// keeps its digest.
func docDigest(d preparedDoc) [sha256.Size]byte {
	b := make([]byte, 0, 512)
	put := func(ss ...string) {
		for _, s := range ss {
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			b = append(b, s...)
		}
	}
	put(d.url, d.hash, d.doc.Title, d.doc.Summary, d.doc.Date.UTC().Format("2006-01-02T15:04:05.999999999Z"))
	for _, ts := range [][]Term{d.doc.Provinces, d.doc.Categories, d.doc.Tags} {
		put(strconv.Itoa(len(ts)))
		for _, t := range ts {
			put(t.Name, t.Slug)
		}
	}
	l := d.doc.Legal
	put(d.doc.Kind, l.Number, l.Type.Name, l.Type.Slug, l.Issuer.Name, l.Issuer.Slug, l.Status.Name, l.Status.Slug)
	return sha256.Sum256(b)
}

// reusePrevious puts the index at prev into dir as it is, when prev is intact and was
// built from the same inputs (its generation is gen): every file is hard-linked (copied
// where links fail), the manifest last. It reports false, having left dir as it was,
// when prev cannot be reused; err is set only when dir could not be cleaned up after a
// failure half-way or ctx was cancelled.
func reusePrevious(ctx context.Context, dir, prev, gen string, memo *Memo, known checked) (BuildStats, bool, error) {
	var stats BuildStats
	m, err := readManifestOnly(prev)
	if err != nil || m.Generation != gen || m.Format != manifestFormat || m.Analysis != analysisVersion {
		return stats, false, nil
	}
	// Every file is read once to check it: a damaged index is not carried over for ever
	// (a file the memo knows as written or checked, or known from the last process
	// (known.go), still the same file, is not read).
	seen, err := verifyFilesKnown(prev, m, memo.filesWith(known))
	if err != nil {
		return stats, false, nil
	}
	if err := ctx.Err(); err != nil {
		return stats, false, err
	}
	// The manifest goes last: a folder without it is a half-made index.
	manifestSum, err := sumFile(filepath.Join(prev, manifestFile))
	if err != nil {
		return stats, false, nil
	}
	for _, f := range append(slices.Clone(m.Files), manifestSum) {
		if err := ctx.Err(); err != nil {
			return stats, false, cleanup(dir, err)
		}
		if !safeRel(f.Path) {
			return stats, false, cleanup(dir, nil)
		}
		src := filepath.Join(prev, filepath.FromSlash(f.Path))
		dst := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := linkOrCopy(src, dst, f); err != nil {
			return stats, false, cleanup(dir, nil)
		}
		stats.Bytes += f.Size
	}
	stats.Unchanged = int(m.Docs)
	stats.Incremental = true
	stats.Reused = true
	memo.reused(gen, seen)
	return stats, true, nil
}

// cleanup removes a half-reused dir, and returns err, or an error saying dir could not be
// removed.
func cleanup(dir string, err error) error {
	if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
		return fmt.Errorf("search: removing a half-made index folder: %w", rerr)
	}
	return err
}

// linkOrCopy hard-links src to dst (creating dst's folder with the mode of src's), or
// copies it, checking it against want, when the file system cannot link.
func linkOrCopy(src, dst string, want fileSum) error {
	if err := mkdirLike(filepath.Dir(dst), filepath.Dir(src)); err != nil {
		return err
	}
	err := os.Link(src, dst)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := copyFileVerified(src, dst, want); err != nil {
		return err
	}
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	return os.Chmod(dst, fi.Mode().Perm())
}

// sumFile is the size and checksum of the file at p, named by its base name.
func sumFile(p string) (fileSum, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return fileSum{}, err
	}
	return fileSum{Path: filepath.Base(p), Size: int64(len(b)), CRC32C: crc32.Checksum(b, castagnoli)}, nil
}

// mkdirLike creates dir and its missing parents with the mode of like.
func mkdirLike(dir, like string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := mkdirLike(filepath.Dir(dir), filepath.Dir(like)); err != nil {
		return err
	}
	mode := fs.FileMode(0o755)
	if fi, err := os.Stat(like); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.Mkdir(dir, mode); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}

// termNames returns the display names of the provinces and categories of docs by slug,
// for facets.
func termNames(docs []preparedDoc) (provinces, categories map[string]string) {
	provinces, categories = map[string]string{}, map[string]string{}
	for _, d := range docs {
		for _, t := range d.doc.Provinces {
			if t.Slug != "" {
				provinces[t.Slug] = t.Name
			}
		}
		for _, t := range d.doc.Categories {
			if t.Slug != "" {
				categories[t.Slug] = t.Name
			}
		}
	}
	return provinces, categories
}
