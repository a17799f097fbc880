package build

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckReadsPDFAttachments: portal check reports a scanned PDF as portal build does
// (the same warning at the attachment's name), through the cache folder's texts: a
// second check reads and hashes nothing, and a build after it reads no PDF either.
func TestCheckReadsPDFAttachments(t *testing.T) {
	dir := attachmentSite(t)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	sharedCompilation(t, cacheDir)
	const want = "content/van-ban/15-ct-ubnd/index.md:8:5: cảnh báo: tệp đính kèm \"quet.pdf\" không được đưa vào tìm kiếm: tệp PDF 2 trang là ảnh quét"
	check := func(name string) AttachmentStats {
		t.Helper()
		ds, st, err := checkSite(context.Background(), Options{SiteDir: dir, Now: fixedNow, Cache: CheckCache(cacheDir)})
		if err != nil {
			t.Fatal(name, err)
		}
		if vi, _ := attachmentWarnings(ds); len(vi) != 1 || !strings.HasPrefix(vi[0], want) {
			t.Errorf("%s: attachment warnings %q, want one starting %q", name, vi, want)
		}
		return st
	}
	if st := check("first check"); st != (AttachmentStats{Read: 2, Hashed: 2}) {
		t.Errorf("first check: %+v, want both PDFs read", st)
	}
	if st := check("second check"); st != (AttachmentStats{Reused: 2}) {
		t.Errorf("second check: %+v, want both PDFs found in the cache folder", st)
	}
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, Cache: DiskCache(cacheDir, "test")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Attachments != (AttachmentStats{Reused: 2}) {
		t.Errorf("build after the checks: %+v, want both PDFs found", rep.Attachments)
	}
}
