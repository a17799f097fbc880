package publish

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"maps"
	"testing"
)

// codecListing has paths that share prefixes in every way the format has to tell apart:
// a page and its sibling, a path that is the start of the next without a sibling's
// suffix, a folder and a file beside it, and "." among the folders.
func codecListing() *Listing {
	l := &Listing{dest: "/srv/site/public", files: map[string]struct{}{}, dirs: map[string]dirStamp{}}
	for _, rel := range []string{"index.html", "index.html.gz", "a", "ab", "a/b/index.html", "a/b/index.html.gz",
		"a/bc/index.html", "tin-tuc/bai-1/index.html", "tin-tuc/bai-10/index.html", "tin-tuc/bai-10/index.html.gz",
		"tin-tuc/bai-2/index.html", "z.css", "y.html.gz.gz", "x.html", "x.html.gz", "x.html.gz.gz", "w.gz", "ảnh/ô-tô.jpg"} {
		l.files[rel] = struct{}{}
	}
	for i, dir := range []string{".", "a", "a/b", "a/bc", "tin-tuc", "tin-tuc/bai-1", "tin-tuc/bai-10", "tin-tuc/bai-2", "ảnh"} {
		l.dirs[dir] = dirStamp{Dev: 2049, Ino: uint64(7 + i), ModNs: 1765000000123456789 + int64(i), ChgNs: -int64(i)}
	}
	return l
}

func listingBytes(t *testing.T, l *Listing) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := l.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withCRC is body (listingMagic and the format's bytes) with its CRC, as WriteTo ends it.
func withCRC(body []byte) []byte {
	return binary.BigEndian.AppendUint32(bytes.Clone(body), crc32.Checksum(body, castagnoli))
}

// A saved listing reads back as it was: its folder, files and folders' stamps (readBack).
func readBack(t *testing.T, l *Listing) {
	t.Helper()
	back, err := ReadListing(bytes.NewReader(listingBytes(t, l)))
	if err != nil {
		t.Fatal(err)
	}
	if back.dest != l.dest || !maps.Equal(back.files, l.files) || !maps.Equal(back.dirs, l.dirs) {
		t.Errorf("read back %q %v %v, want %q %v %v", back.dest, back.files, back.dirs, l.dest, l.files, l.dirs)
	}
}

// A saved listing reads back as it was, and reading it makes no string, map entry of a decoder's or growing buffer
// per listed file: format 1 (gob) made 376,811 objects for 250,000 files (≈ 1.5 a
// file, 200 MB); format 2 makes about 1,550 (the maps' groups).
func TestSavedListingReadsBackWithoutAnObjectPerFile(t *testing.T) {
	readBack(t, codecListing())
	l := bigListing(5000) // 12,500 files in 6,250 folders
	readBack(t, l)
	b := listingBytes(t, l)
	allocs := testing.AllocsPerRun(3, func() {
		if _, err := ReadListing(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	})
	if n := len(l.files) + len(l.dirs); allocs > float64(n)/20 {
		t.Errorf("reading a listing of %d paths made %.0f objects, want at most %d", n, allocs, n/20)
	}
}

// What a build killed while writing a listing (or a disk that lost its end) could leave
// is not read: every shorter prefix of a saved listing, a listing of format 1, and bytes
// with a right CRC that break the format's rules (a path repeated, a shared prefix
// longer than the path before, a wrong size of the paths' bytes, bytes after the end)
// are refused, without a panic.
func TestSavedListingRefusesWhatItDidNotWrite(t *testing.T) {
	b := listingBytes(t, codecListing())
	for n := range len(b) {
		if _, err := ReadListing(bytes.NewReader(b[:n])); err == nil {
			t.Fatalf("a listing cut at %d of %d bytes was read", n, len(b))
		}
	}
	old := withCRC([]byte("portal-listing 1\n\x03\xff\x82\x01\x01"))
	if _, err := ReadListing(bytes.NewReader(old)); err == nil {
		t.Error("a listing of format 1 was read")
	}
	body := func(back uint64, files [][2]string, tail ...byte) []byte {
		b := []byte(listingMagic)
		b = binary.AppendUvarint(b, 2)
		b = append(b, "/d"...)
		b = binary.AppendUvarint(b, back)
		b = binary.AppendUvarint(b, uint64(len(files)))
		for _, f := range files {
			b = binary.AppendUvarint(b, uint64(len(f[0])))
			b = binary.AppendUvarint(b, uint64(len(f[1])))
			b = append(b, f[1]...)
		}
		b = binary.AppendUvarint(b, 0) // no folders
		return append(b, tail...)
	}
	// A good one first, so that the bad ones fail by their fault.
	if l, err := ReadListing(bytes.NewReader(withCRC(body(8, [][2]string{{"", "ab"}, {"a", "c"}, {"ac", ".gz"}, {"1", ""}})))); err != nil {
		t.Fatal(err)
	} else if want := map[string]struct{}{"ab": {}, "ac": {}, "ac.gz": {}, "a": {}}; !maps.Equal(l.files, want) {
		t.Fatalf("read %v, want %v", l.files, want)
	}
	for name, bad := range map[string][]byte{
		"repeated":          body(2, [][2]string{{"", "a"}, {"a", ""}}),
		"repeated later":    body(3, [][2]string{{"", "a"}, {"", "b"}, {"", "a"}}),
		"shared too long":   body(4, [][2]string{{"", "a"}, {"ab", "c"}}),
		"paths' bytes less": body(6, [][2]string{{"", "ab"}, {"a", "c"}, {"ac", ".gz"}}),
		"paths' bytes more": body(8, [][2]string{{"", "ab"}, {"a", "c"}, {"ac", ".gz"}}),
		"bytes after":       body(1, [][2]string{{"", "a"}}, 0),
		"not a clean path":  body(4, [][2]string{{"", "../a"}}),
		"no path":           body(0, [][2]string{{"", ""}}),
	} {
		if _, err := ReadListing(bytes.NewReader(withCRC(bad))); err == nil {
			t.Errorf("%s: read", name)
		}
	}
}
