package publish

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// bigListing is a listing shaped like the output of 100,000 articles: a folder per
// article with its page and .gz sibling, and the folders' stamps.
func bigListing(n int) *Listing {
	l := &Listing{dest: "/work/site/public", files: map[string]struct{}{}, dirs: map[string]dirStamp{}}
	for i := range n {
		dir := fmt.Sprintf("tin-tuc/an-giang-%d-xa-hoan-thanh-muc-tieu-xa-thong-minh-%d", i%700, i)
		l.files[dir+"/index.html"] = struct{}{}
		l.files[dir+"/index.html.gz"] = struct{}{}
		l.dirs[dir] = dirStamp{Dev: 2049, Ino: uint64(1000000 + i), ModNs: 1765000000000000000 + int64(i), ChgNs: 1765000000000000000 + int64(i)}
		if i%4 == 0 {
			t := fmt.Sprintf("the/chu-de-%d/trang/%d", i%300, i/300)
			l.files[t+"/index.html"] = struct{}{}
			l.files[t+"/index.html.gz"] = struct{}{}
			l.dirs[t] = dirStamp{Dev: 2049, Ino: uint64(3000000 + i), ModNs: 1765000000000000000 + int64(i), ChgNs: 1765000000000000000 + int64(i)}
		}
	}
	return l
}

// BenchmarkReadListing100k reads a saved listing shaped like that of 100,000 articles
// from its file, as the next `portal build` does.
func BenchmarkReadListing100k(b *testing.B) {
	var buf bytes.Buffer
	if _, err := bigListing(100000).WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "output.listing")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ReadListing(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(buf.Len())/1e6, "file-MB")
}

func BenchmarkWriteListing100k(b *testing.B) {
	l := bigListing(100000)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if _, err := l.WriteTo(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
