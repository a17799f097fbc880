package search

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"
)

// shortDocs are n generated documents with a short body: enough for several segments,
// quick to analyze.
func shortDocs(n int, seed uint64) []Document {
	docs := genDocs(n, seed)
	for i := range docs {
		if b := docs[i].Body; len(b) > 200 {
			docs[i].Body = strings.ToValidUTF8(b[:200], "")
		}
	}
	return docs
}

// TestFullBuildIsReproducible builds the same documents (several segments, merged) twice
// from scratch, with GOMAXPROCS 1 and 2: every file of the two indexes has the same
// bytes.
func TestFullBuildIsReproducible(t *testing.T) {
	docs := shortDocs(builderBatch+analyzeChunk+7, 11) // two segments, merged
	root := t.TempDir()
	var trees []map[string]string
	// Whatever the number of cores: segments are written and merged side by side.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for procs, name := range []string{"a", "b"} {
		runtime.GOMAXPROCS(procs + 1)
		dir := filepath.Join(root, name, "index")
		if _, err := Build(context.Background(), dir, "", docs); err != nil {
			t.Fatal(err)
		}
		trees = append(trees, indexTree(t, dir))
	}
	if len(trees[0]) < 5 {
		t.Fatalf("index files: %d", len(trees[0]))
	}
	for rel, a := range trees[0] {
		if b, ok := trees[1][rel]; !ok || a != b {
			t.Errorf("%s differs between two builds of the same documents", rel)
		}
	}
	if len(trees[0]) != len(trees[1]) {
		t.Errorf("%d files, then %d", len(trees[0]), len(trees[1]))
	}
}

// builderIndex writes docs with bleve's own offline builder (what Build did before it
// wrote segments itself) into dir, with Build's hash table and manifest.
func builderIndex(t *testing.T, dir string, docs []Document) {
	t.Helper()
	prepared, err := NewMemo().prepare(docs)
	if err != nil {
		t.Fatal(err)
	}
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	mappingJSON, _ := json.Marshal(im)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(indexMetaJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := scorch.NewBuilder(map[string]interface{}{
		"path": filepath.Join(dir, "store"), "buildPathPrefix": t.TempDir(), "batchSize": builderBatch,
		"internal": map[string][]byte{string(util.MappingInternalKey): mappingJSON},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range prepared {
		ad, err := newDocAnalyzer(im, &freqPool{}).analyze(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Index(ad); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for _, d := range prepared {
		hashes[d.url] = d.hash
	}
	if _, err := finish(dir, prepared, hashes, inputDigest(prepared), nil, nil); err != nil {
		t.Fatal(err)
	}
}

// TestSegmentsOpenInBleve compares an index Build writes with one bleve's offline builder
// writes from the same documents: the same answers to every query of snapshot, and
// root.bolt with the same buckets and values but the time.
func TestSegmentsOpenInBleve(t *testing.T) {
	docs := append(fixtureDocs(), shortDocs(builderBatch+3, 5)...)
	root := t.TempDir()
	ours, theirs := filepath.Join(root, "ours"), filepath.Join(root, "theirs")
	if _, err := Build(context.Background(), ours, "", docs); err != nil {
		t.Fatal(err)
	}
	builderIndex(t, theirs, docs)
	var snaps []map[string]any
	for _, dir := range []string{ours, theirs} {
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snapshot(t, ix))
		ix.Close()
	}
	for k := range snaps[1] {
		if !reflect.DeepEqual(snaps[0][k], snaps[1][k]) {
			t.Errorf("%s: ours %v\nbleve's builder %v", k, snaps[0][k], snaps[1][k])
		}
	}
	a, b := boltValues(t, filepath.Join(ours, "store", "root.bolt")), boltValues(t, filepath.Join(theirs, "store", "root.bolt"))
	const ts = "s/\x8b/m/timeStamp"
	if a[ts] != "1970-01-01T00:00:00Z" || b[ts] == "" {
		t.Errorf("timestamps %q and %q", a[ts], b[ts])
	}
	delete(a, ts)
	delete(b, ts)
	// The builder's segment is zap v16, ours v15.
	const version = "s/\x8b/m/version"
	if !bytes.Equal([]byte(a[version]), []byte{0, 0, 0, 15, 0}) || len(b[version]) != 5 {
		t.Errorf("segment versions %q and %q", a[version], b[version])
	}
	delete(a, version)
	delete(b, version)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("root.bolt differs from the builder's:\n%q\n%q", a, b)
	}
}

// boltValues lists every key of a bolt file by its bucket path.
func boltValues(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	var walk func(prefix string, b *bolt.Bucket) error
	walk = func(prefix string, b *bolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(prefix+string(k)+"/", b.Bucket(k))
			}
			out[prefix+string(k)] = string(v)
			return nil
		})
	}
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walk(string(name)+"/", b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
