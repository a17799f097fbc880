package search

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// lazy returns docs with their bodies behind LoadBody, counting the calls.
func lazy(docs []Document, calls *atomic.Int64, fail string) []Document {
	out := make([]Document, len(docs))
	for i, d := range docs {
		body, url := d.Body, d.URL
		d.Body = ""
		d.LoadBody = func() (string, error) {
			calls.Add(1)
			if url == fail {
				return "", errors.New("disk gone")
			}
			return body, nil
		}
		out[i] = d
	}
	return out
}

// An index built from lazily loaded bodies answers exactly as one built from bodies in
// memory; each body is loaded once in a full build, and not at all for documents an
// incremental build keeps.
func TestLoadBodyEqualsBody(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	docs := fixtureDocs()
	eager := filepath.Join(root, "eager", "index")
	if _, err := Build(ctx, eager, "", docs); err != nil {
		t.Fatal(err)
	}
	// With hashes, as the assembler sends them (without, Build reads a body to hash it).
	hashed := make([]Document, len(docs))
	for i, d := range docs {
		d.Hash = contentHash(d)
		hashed[i] = d
	}
	var calls atomic.Int64
	lz := filepath.Join(root, "lazy", "index")
	if _, err := Build(ctx, lz, "", lazy(hashed, &calls, "")); err != nil {
		t.Fatal(err)
	}
	if int(calls.Load()) != len(docs) {
		t.Errorf("a full build loaded %d bodies for %d documents", calls.Load(), len(docs))
	}
	a, b := openIndex(t, eager), openIndex(t, lz)
	if sa, sb := snapshot(t, a), snapshot(t, b); !reflect.DeepEqual(sa, sb) {
		t.Errorf("lazily loaded bodies give other results:\n eager %v\n lazy  %v", sa, sb)
	}

	// Incremental: the same documents with their hashes; only the edited one is read.
	next := append([]Document(nil), hashed...)
	next[0].Body += " Một câu mới."
	next[0].Hash = "edited"
	calls.Store(0)
	gen2 := filepath.Join(root, "gen2", "index")
	st, err := Build(ctx, gen2, lz, lazy(next, &calls, ""))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Updated != 1 || calls.Load() != 1 {
		t.Errorf("incremental build: %+v, %d bodies loaded; want 1 update and 1 body", st, calls.Load())
	}
}

func TestLoadBodyErrorFailsBuild(t *testing.T) {
	docs := fixtureDocs()
	var calls atomic.Int64
	dir := filepath.Join(t.TempDir(), "index")
	_, err := Build(context.Background(), dir, "", lazy(docs, &calls, docs[2].URL))
	if err == nil || !strings.Contains(err.Error(), docs[2].URL) || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("a body that cannot be read: %v; want an error naming the article and the cause", err)
	}
}

func openIndex(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}
