package search

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// A deployment copies a new output onto a replica's host with rsync (README, "Triển
// khai"): each file is written to a temporary name and renamed over the old one, in
// rsync's order, so the index folder passes through every mix of the two generations. A
// `portal serve` following the folder (Live) must never switch to a generation whose
// files are not all there in full, and a replica starting in the middle of the copy must
// refuse the mix rather than serve it.

// copyOver copies src onto dst the way rsync does: into a temporary file beside it, then a
// rename over the old file (whose open descriptors and mappings keep the old bytes).
func copyOver(t *testing.T, src, dst string, limit int64) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if limit >= 0 && int64(len(b)) > limit {
		b = b[:limit]
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".rsync-tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		t.Fatal(err)
	}
}

// rsyncOrder lists the files of an index folder (relative, slash-separated) in the
// order rsync sends them: sorted by path.
func rsyncOrder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// twoGenerations builds generation A (the fixture) at live and generation B (the fixture
// plus one article with a word of its own) at next, and returns B's word.
func twoGenerations(t *testing.T) (live, next, onlyInB string) {
	t.Helper()
	root := t.TempDir()
	live, next = filepath.Join(root, "public", ".search"), filepath.Join(root, "next", ".search")
	if _, err := Build(context.Background(), live, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	docsB := append(fixtureDocs(), Document{
		URL: "/tin-tuc/khanh-thanh-cau-phao/", Title: "Khánh thành cầu phao Xuân Hội",
		Summary: "Cầu phao nối hai bờ sông Lam.", Body: "Cầu phao Xuân Hội được khánh thành.",
		Date: vnDate(2024, 3, 1),
	})
	if _, err := Build(context.Background(), next, "", docsB); err != nil {
		t.Fatal(err)
	}
	return live, next, "cầu phao"
}

// sameBytes reports whether rel holds the same bytes under both folders.
func sameBytes(t *testing.T, from, to, rel string) bool {
	t.Helper()
	a, err := os.ReadFile(filepath.Join(from, rel))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(to, rel))
	return err == nil && bytes.Equal(a, b)
}

func total(t *testing.T, l *Live, words string) (int, error) {
	t.Helper()
	res, err := l.Search(context.Background(), mustQuery(Request{Query: words}))
	return int(res.Total), err
}

func TestLiveNeverServesAHalfCopiedGeneration(t *testing.T) {
	live, next, onlyInB := twoGenerations(t)
	l := NewLive(live, nil)
	defer l.Close()
	genA := l.Status().Generation
	if genA == "" {
		t.Fatalf("Live did not open generation A: %v", l.Status().Err)
	}
	mB, err := readManifestOnly(next)
	if err != nil {
		t.Fatal(err)
	}
	files := rsyncOrder(t, next)
	if i := sort.SearchStrings(files, manifestFile); i == len(files)-1 || files[i] != manifestFile {
		t.Fatalf("the test wants %s copied before some index file (rsync's order), got %v", manifestFile, files)
	}
	copied := map[string]bool{}
	for _, rel := range files {
		copyOver(t, filepath.Join(next, rel), filepath.Join(live, rel), -1)
		copied[rel] = true
		// B is complete when every file it lists (and its manifest) holds B's bytes at
		// the destination: a file not copied yet may already hold them, since an index
		// build is reproducible and A and B can share files byte for byte.
		complete := sameBytes(t, next, live, manifestFile)
		for _, f := range mB.Files {
			complete = complete && sameBytes(t, next, live, f.Path)
		}

		// The running replica: an incomplete B is refused, A stays in service.
		err := l.Reload()
		st := l.Status()
		switch {
		case complete && (err != nil || st.Generation != mB.Generation):
			t.Fatalf("after copying %s (B complete): Live serves %q, reload error %v; want generation B %s", rel, st.Generation, err, mB.Generation)
		case !complete && st.Generation != genA:
			t.Fatalf("after copying %s (B incomplete): Live switched to %q", rel, st.Generation)
		case !complete && copied[manifestFile] && err == nil:
			t.Fatalf("after copying %s: B's manifest is there but not all its files, yet Reload reports no problem", rel)
		}
		n, err := total(t, l, onlyInB)
		if err != nil {
			t.Fatalf("after copying %s: search failed on the running replica: %v", rel, err)
		}
		if want := map[bool]int{false: 0, true: 1}[complete]; n != want {
			t.Fatalf("after copying %s: %q found %d articles, want %d", rel, onlyInB, n, want)
		}

		// A replica started now (a restart in the middle of the copy) serves a complete
		// generation or nothing.
		fresh := NewLive(live, nil)
		fst := fresh.Status()
		if fst.Generation != "" {
			if _, err := Open(live); err != nil {
				t.Fatalf("after copying %s: a starting replica serves %s, which does not verify: %v", rel, fst.Generation, err)
			}
			if _, err := total(t, fresh, "hội nghị"); err != nil {
				t.Fatalf("after copying %s: a starting replica cannot search: %v", rel, err)
			}
		} else if _, err := total(t, fresh, "hội nghị"); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("after copying %s: a starting replica with nothing open answers %v, want ErrUnavailable", rel, err)
		}
		fresh.Close()
	}
}

func TestLiveRefusesShortOrMissingFiles(t *testing.T) {
	live, next, onlyInB := twoGenerations(t)
	l := NewLive(live, nil)
	defer l.Close()
	genA := l.Status().Generation
	mB, err := readManifestOnly(next)
	if err != nil {
		t.Fatal(err)
	}
	// The largest file of B, copied only in part (an interrupted transfer), the manifest
	// in full: the sizes in the manifest give it away.
	big := mB.Files[0]
	for _, f := range mB.Files {
		if f.Size > big.Size {
			big = f
		}
	}
	for _, f := range mB.Files {
		limit := int64(-1)
		if f.Path == big.Path {
			limit = f.Size / 2
		}
		copyOver(t, filepath.Join(next, filepath.FromSlash(f.Path)), filepath.Join(live, filepath.FromSlash(f.Path)), limit)
	}
	copyOver(t, filepath.Join(next, manifestFile), filepath.Join(live, manifestFile), -1)
	if err := l.Reload(); err == nil || !strings.Contains(err.Error(), "đúng ra phải có") {
		t.Fatalf("Reload with %s cut short: %v, want a size mismatch", big.Path, err)
	}
	if st := l.Status(); st.Generation != genA || st.Err == nil {
		t.Fatalf("with %s cut short Live serves %q (err %v), want A %s and the problem", big.Path, st.Generation, st.Err, genA)
	}
	if n, err := total(t, l, onlyInB); err != nil || n != 0 {
		t.Fatalf("with %s cut short: %d %v, want A's answer", big.Path, n, err)
	}
	// The file missing altogether.
	if err := os.Remove(filepath.Join(live, filepath.FromSlash(big.Path))); err != nil {
		t.Fatal(err)
	}
	if err := l.Reload(); err == nil || !strings.Contains(err.Error(), "thiếu tệp") {
		t.Fatalf("Reload with %s missing: %v", big.Path, err)
	}
	if st := l.Status(); st.Generation != genA {
		t.Fatalf("with %s missing Live serves %q", big.Path, st.Generation)
	}
	// The rest of the copy arrives: B is served.
	copyOver(t, filepath.Join(next, filepath.FromSlash(big.Path)), filepath.Join(live, filepath.FromSlash(big.Path)), -1)
	if err := l.Reload(); err != nil {
		t.Fatal(err)
	}
	if n, err := total(t, l, onlyInB); err != nil || n != 1 {
		t.Fatalf("after the copy completed: %d %v, want B's article", n, err)
	}
}
