package search

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

// snapshot is what a set of queries returns, for comparing two indexes.
func snapshot(t *testing.T, ix *Index) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, q := range []string{"", "ha tinh", "Hà Tĩnh", "nghị định 64", "các", "cơ quan", "thông tin", "an ninh mạng", "lễ hội", "tổ công tác"} {
		for _, sort := range []string{SortRelevance, SortNewest} {
			res := doSearch(t, ix, Request{Query: q, Sort: sort, Size: 50})
			var hits []string
			for _, h := range res.Hits {
				hits = append(hits, h.URL+"|"+h.Title+"|"+string(h.ExcerptHTML)+"|"+h.Date.String())
			}
			out[q+"/"+sort] = []any{res.Total, hits, res.Provinces, res.Categories, res.Years}
		}
	}
	return out
}

func TestIncrementalBuildEqualsFullBuild(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	docs := fixtureDocs()
	gen1 := filepath.Join(root, "gen1", "index")
	st, err := Build(ctx, gen1, "", docs)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != len(docs) || st.Incremental || st.Bytes <= 0 {
		t.Errorf("full build stats = %+v", st)
	}

	// Edit one, delete one, add one.
	next := slices.Clone(docs)
	next[0].Title = "Hội nghị tổng kết công tác năm 2023 tỉnh Hà Tĩnh"
	next[0].Body += " Hội nghị cũng phát động phong trào thi đua chào mừng Đại hội Đảng bộ tỉnh."
	next[0].Hash = "edited" // an explicit hash, as the assembler sends
	for i := range next[1:] {
		// The hashes gen1 computed itself for the unchanged documents.
		next[i+1].Hash = contentHash(next[i+1])
	}
	next = slices.Delete(next, 3, 4) // Đà Nẵng pháo hoa
	next = append(next, Document{
		URL:        "/tin-tuc/thua-thien-hue-don-bang-unesco/",
		Title:      "Thừa Thiên Huế đón bằng công nhận của UNESCO",
		Summary:    "Mộc bản triều Nguyễn và Châu bản được vinh danh.",
		Body:       "Lễ đón bằng diễn ra trang trọng tại Đại Nội với sự tham dự của đông đảo nhân dân và du khách.",
		Date:       vnDate(2024, 6, 1),
		Provinces:  []Term{{"Thừa Thiên Huế", "thua-thien-hue"}},
		Categories: []Term{cVanHoa},
	})

	gen2 := filepath.Join(root, "gen2", "index")
	st, err = Build(ctx, gen2, gen1, next)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Added != 1 || st.Updated != 1 || st.Deleted != 1 || st.Unchanged != len(docs)-2 {
		t.Fatalf("incremental stats = %+v", st)
	}
	// The incremental result must be indistinguishable from a full build.
	gen3 := filepath.Join(root, "gen3", "index")
	if _, err := Build(ctx, gen3, "", next); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(gen2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	ix3, err := Open(gen3)
	if err != nil {
		t.Fatal(err)
	}
	defer ix3.Close()
	// The generation names the inputs: the same documents, however built, share it.
	if ix2.Generation() != ix3.Generation() {
		t.Errorf("builds of the same documents have generations %s and %s", ix2.Generation(), ix3.Generation())
	}
	s2, s3 := snapshot(t, ix2), snapshot(t, ix3)
	for k := range s3 {
		if !reflect.DeepEqual(s2[k], s3[k]) {
			t.Errorf("incremental and full builds differ for %s:\n%v\n%v", k, s2[k], s3[k])
		}
	}
	if got := urls(doSearch(t, ix2, Request{Query: "pháo hoa"})); len(got) != 0 {
		t.Errorf("deleted article still found: %v", got)
	}
	if got := urls(doSearch(t, ix2, Request{Query: "unesco"})); len(got) != 1 {
		t.Errorf("added article not found: %v", got)
	}
	if got := urls(doSearch(t, ix2, Request{Query: "phong trào thi đua"})); !slices.Equal(got, []string{urlHaTinh}) {
		t.Errorf("updated article not found by its new text: %v", got)
	}

	// Nothing changed: everything unchanged, still a valid index.
	gen4 := filepath.Join(root, "gen4", "index")
	st, err = Build(ctx, gen4, gen2, next)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Unchanged != len(next) || st.Added+st.Updated+st.Deleted != 0 {
		t.Errorf("no-op incremental stats = %+v", st)
	}
	ix4, err := Open(gen4)
	if err != nil {
		t.Fatal(err)
	}
	defer ix4.Close()
	if n, _ := ix4.DocCount(); n != uint64(len(next)) {
		t.Errorf("DocCount = %d", n)
	}
}

func TestBuildErrors(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(ctx, dir, "", []Document{{Title: "no url"}}); err == nil || !strings.Contains(err.Error(), "no URL") {
		t.Errorf("missing URL: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("failed build left %s behind", dir)
	}
	d := fixtureDocs()[:2]
	d[1].URL = d[0].URL
	if _, err := Build(ctx, dir, "", d); err == nil || !strings.Contains(err.Error(), "same URL") {
		t.Errorf("duplicate URL: %v", err)
	}
	// Text that is not UTF-8 would stop bleve's tokenizer: an error
	// naming the article and the byte, given or loaded.
	d = fixtureDocs()[:2]
	d[1].Body = "Hội nghị \xff ở Hà Tĩnh"
	if _, err := Build(ctx, dir, "", d); err == nil || !strings.Contains(err.Error(), "text of "+d[1].URL+" is not valid UTF-8 (byte 13)") {
		t.Errorf("invalid UTF-8 body: %v", err)
	}
	d = fixtureDocs()[:2]
	d[0].Body, d[0].LoadBody = "", func() (string, error) { return "an ninh \xc3", nil }
	if _, err := Build(ctx, dir, "", d); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("invalid UTF-8 loaded body: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("failed build left %s behind", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(ctx, dir, "", fixtureDocs()); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("existing dir: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	dir2 := filepath.Join(t.TempDir(), "index")
	if _, err := Build(cctx, dir2, "", fixtureDocs()); err == nil {
		t.Errorf("cancelled build succeeded")
	}
	if _, err := os.Stat(dir2); !os.IsNotExist(err) {
		t.Errorf("cancelled build left %s behind", dir2)
	}
}

func TestEmptyIndex(t *testing.T) {
	ix, _ := buildFixture(t, nil)
	res := doSearch(t, ix, Request{Query: "hà tĩnh"})
	if res.Total != 0 || len(res.Hits) != 0 || res.Pages != 0 {
		t.Errorf("empty index: %+v", res)
	}
}

// copyDir copies an index folder for corruption tests.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func largestSegment(t *testing.T, dir string) string {
	t.Helper()
	var best string
	var size int64
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".zap") && info.Size() > size {
			best, size = p, info.Size()
		}
		return nil
	})
	if best == "" {
		t.Fatalf("no segment file in %s", dir)
	}
	return best
}

func TestOpenDetectsDamage(t *testing.T) {
	_, good := buildFixture(t, fixtureDocs())
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string
	}{
		{"truncated segment", func(t *testing.T, dir string) {
			seg := largestSegment(t, dir)
			info, _ := os.Stat(seg)
			if err := os.Truncate(seg, info.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"flipped byte", func(t *testing.T, dir string) {
			seg := largestSegment(t, dir)
			b, _ := os.ReadFile(seg)
			b[len(b)/3] ^= 0xff
			os.WriteFile(seg, b, 0o644)
		}, "checksum"},
		{"no manifest", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, manifestFile))
		}, "incomplete"},
		{"garbage manifest", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, manifestFile), []byte("{\"format\":1,"), 0o644)
		}, "damaged"},
		{"missing root", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "store", "root.bolt"))
		}, "missing"},
		{"no folder", func(t *testing.T, dir string) {
			os.RemoveAll(dir)
		}, "no search index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			copyDir(t, good, dir)
			if ix, err := Open(dir); err != nil {
				t.Fatalf("intact copy does not open: %v", err)
			} else {
				ix.Close()
			}
			tt.damage(t, dir)
			ix, err := Open(dir)
			if err == nil {
				ix.Close()
				t.Fatalf("damaged index opened")
			}
			if !strings.Contains(message.En.Error(err), tt.want) { // the English translation
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			// A damaged previous index makes Build fall back to a full build.
			out := filepath.Join(t.TempDir(), "next")
			st, err := Build(context.Background(), out, dir, fixtureDocs())
			if err != nil {
				t.Fatalf("Build from damaged prev: %v", err)
			}
			if st.Incremental || st.FullReason == "" || st.Added != len(fixtureDocs()) {
				t.Errorf("stats = %+v, want a full build with a reason", st)
			}
			ix, err = Open(out)
			if err != nil {
				t.Fatal(err)
			}
			ix.Close()
		})
	}
}

// TestIncrementalBuildIsReproducible: two updates of the same index by the same documents
// write the same bytes, root.bolt included (bleve's live index records when it persisted
// each snapshot and keeps older ones; canonicalStore keeps the last, with snapshotTime).
func TestIncrementalBuildIsReproducible(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	docs := fixtureDocs()
	gen1 := filepath.Join(root, "gen1", "index")
	if _, err := Build(ctx, gen1, "", docs); err != nil {
		t.Fatal(err)
	}
	next := slices.Clone(docs)
	next[0].Body += " Hội nghị cũng phát động phong trào thi đua."
	next[0].Hash = "edited"
	for i := range next[1:] {
		next[i+1].Hash = contentHash(next[i+1])
	}
	next = slices.Delete(next, 3, 4)
	var trees []map[string]string
	for _, name := range []string{"a", "b"} {
		dir := filepath.Join(root, name, "index")
		st, err := Build(ctx, dir, gen1, next)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Incremental {
			t.Fatalf("%s: not an incremental build: %+v", name, st)
		}
		trees = append(trees, indexTree(t, dir))
	}
	if _, ok := trees[0]["store/root.bolt"]; !ok {
		t.Fatalf("no store/root.bolt among %d files", len(trees[0]))
	}
	for rel, a := range trees[0] {
		if b, ok := trees[1][rel]; !ok || a != b {
			t.Errorf("%s differs between two updates by the same documents", rel)
		}
	}
	if len(trees[0]) != len(trees[1]) {
		t.Errorf("%d files, then %d", len(trees[0]), len(trees[1]))
	}
	ix, err := Open(filepath.Join(root, "a", "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := urls(doSearch(t, ix, Request{Query: "phong trào thi đua"})); !slices.Equal(got, []string{urlHaTinh}) {
		t.Errorf("the updated index does not find the edited article: %v", got)
	}
}
