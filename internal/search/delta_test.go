package search

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// editedDocs is fixtureDocs with one article edited, one deleted and one added.
func editedDocs() []Document {
	docs := fixtureDocs()
	next := slices.Clone(docs)
	next[0].Title = "Hội nghị tổng kết công tác năm 2023 tỉnh Hà Tĩnh"
	next[0].Body += " Hội nghị cũng phát động phong trào thi đua chào mừng Đại hội Đảng bộ tỉnh."
	next = slices.Delete(next, 3, 4)
	next = append(next, Document{
		URL:        "/tin-tuc/thua-thien-hue-don-bang-unesco/",
		Title:      "Thừa Thiên Huế đón bằng công nhận của UNESCO",
		Summary:    "Mộc bản triều Nguyễn và Châu bản được vinh danh.",
		Body:       "Lễ đón bằng diễn ra trang trọng tại Đại Nội với sự tham dự của đông đảo nhân dân và du khách.",
		Date:       vnDate(2024, 6, 1),
		Provinces:  []Term{{"Thừa Thiên Huế", "thua-thien-hue"}},
		Categories: []Term{cVanHoa},
	})
	return next
}

// segmentFiles returns the zap segments of the index at dir with their file info.
func segmentFiles(t *testing.T, dir string) map[string]os.FileInfo {
	t.Helper()
	out := map[string]os.FileInfo{}
	entries, err := os.ReadDir(filepath.Join(dir, "store"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zap") {
			fi, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = fi
		}
	}
	return out
}

// An edit, a deletion and an addition are applied without rewriting the index: the new
// generation shares the previous one's segment (a hard link), leaves the previous
// generation's bytes as they were, and answers every query, facets included, as a
// full build of the same documents does. When the deleted documents kept in the shared
// segment outweigh the policy's share, the update merges everything into one segment,
// with the same answers.
func TestUpdateKeepsTheBaseSegment(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	gen1 := filepath.Join(root, "gen1")
	if _, err := Build(ctx, gen1, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	before := indexFiles(t, gen1)
	beforeBytes := map[string][]byte{}
	for rel, p := range before {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		beforeBytes[rel] = b
	}
	base := segmentFiles(t, gen1)
	if len(base) != 1 {
		t.Fatalf("a full build has segments %v, want one", base)
	}
	next := editedDocs()
	fresh := filepath.Join(root, "fresh")
	if _, err := Build(ctx, fresh, "", next); err != nil {
		t.Fatal(err)
	}
	ixFresh, err := Open(fresh)
	if err != nil {
		t.Fatal(err)
	}
	want, wantGen := snapshot(t, ixFresh), ixFresh.Generation()
	ixFresh.Close()

	// Only the small segments merge: 12 documents are a base segment here.
	keep := deltaPolicy{minBase: 2, reclaim: 1}
	gen2 := filepath.Join(root, "gen2")
	st, err := buildWith(ctx, gen2, gen1, next, keep, NewMemo(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Reused || st.Added != 1 || st.Updated != 1 || st.Deleted != 1 {
		t.Fatalf("stats = %+v, want an incremental update of 3 documents", st)
	}
	segs := segmentFiles(t, gen2)
	if len(segs) < 2 {
		t.Errorf("the update left segments %v, want the base and the delta", segs)
	}
	for name, fi := range base {
		if got, ok := segs[name]; !ok || !os.SameFile(fi, got) {
			t.Errorf("segment %s of the previous index was not shared by a hard link (found %v)", name, ok)
		}
	}
	for rel, b := range beforeBytes {
		got, err := os.ReadFile(filepath.Join(gen1, filepath.FromSlash(rel)))
		if err != nil || string(got) != string(b) {
			t.Errorf("the update changed %s of the previous index (%v)", rel, err)
		}
	}
	if ix, err := Open(gen1); err != nil {
		t.Errorf("the previous index no longer opens: %v", err)
	} else {
		ix.Close()
	}
	compare := func(dir string) {
		t.Helper()
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if ix.Generation() != wantGen {
			t.Errorf("%s: generation %s, a full build of the same documents has %s", dir, ix.Generation(), wantGen)
		}
		got := snapshot(t, ix)
		for k := range want {
			if !reflect.DeepEqual(got[k], want[k]) {
				t.Errorf("%s: the updated index and a full build differ for %q:\n%v\n%v", filepath.Base(dir), k, got[k], want[k])
			}
		}
	}
	compare(gen2)

	// A second edit on top: three segments or fewer, still a full build's answers.
	again := slices.Clone(next)
	again[1].Body += " Bổ sung thông tin về lễ hội."
	fresh2 := filepath.Join(root, "fresh2")
	if _, err := Build(ctx, fresh2, "", again); err != nil {
		t.Fatal(err)
	}
	if ixFresh, err = Open(fresh2); err != nil {
		t.Fatal(err)
	}
	want, wantGen = snapshot(t, ixFresh), ixFresh.Generation()
	ixFresh.Close()
	gen3 := filepath.Join(root, "gen3")
	if _, err := buildWith(ctx, gen3, gen2, again, keep, NewMemo(), nil); err != nil {
		t.Fatal(err)
	}
	compare(gen3)

	// Deleted documents over the share: one segment again, nothing shared.
	gen4 := filepath.Join(root, "gen4")
	if _, err := buildWith(ctx, gen4, gen2, again, deltaPolicy{minBase: 2, reclaim: 0.01}, NewMemo(), nil); err != nil {
		t.Fatal(err)
	}
	segs = segmentFiles(t, gen4)
	if len(segs) != 1 {
		t.Errorf("a reclaiming update left segments %v, want one", segs)
	}
	for _, fi := range segs {
		for name, b := range base {
			if os.SameFile(fi, b) {
				t.Errorf("the reclaiming update still shares segment %s", name)
			}
		}
	}
	compare(gen4)
}

// A file verified once is not read again while it is the very same file: Live opening
// the next generation reads only what is new. A file replaced (another inode, as rsync
// makes) or changed in size is read and checked.
func TestVerifiedFilesAreNotReadAgain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), dir, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	m, known, err := readManifestKnown(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	var seg string
	for rel := range known {
		if immutable(rel) {
			seg = filepath.Join(dir, filepath.FromSlash(rel))
		}
	}
	if seg == "" {
		t.Fatalf("no segment among %v", known)
	}
	fi, err := os.Stat(seg)
	if err != nil {
		t.Fatal(err)
	}
	// Damage the segment in place and put its time back: the same file to a stat.
	f, err := os.OpenFile(seg, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xff, 0xff, 0xff, 0xff}, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(seg, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyFilesKnown(dir, m, known); err != nil {
		t.Errorf("a file verified before was read again: %v", err)
	}
	if _, err := verifyFilesKnown(dir, m, nil); err == nil {
		t.Error("verifying without what was known missed the damage")
	}
	// The same bytes under a new inode are read (and found damaged). The old file stays
	// open, as the open generation keeps its segments mapped, so its inode is not reused.
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(seg)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := os.Remove(seg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(seg, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyFilesKnown(dir, m, known); err == nil {
		t.Error("a replaced file was taken for the one verified before")
	}
}
