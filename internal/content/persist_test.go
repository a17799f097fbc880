package content

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"
)

// Documents saved and loaded again are the parsed ones without their Markdown: dates
// keep their location (a zone's name shows in formatted dates and page keys), and so do
// the times in Params.
func TestSavedCacheKeepsDocuments(t *testing.T) {
	fsys := fstest.MapFS{
		"content/tin-tuc/a.md": {Data: []byte("---\ntitle: \"Bài A\"\ndate: 2007-05-29\nlastmod: 2007-05-30T08:00:00+07:00\nprovinces: [\"Gia Lai\"]\nextra:\n  when: 2020-01-02T03:04:05Z\n  list: [1, \"hai\", 3.5]\n---\nThân bài A.\n"), ModTime: time.Unix(1, 0)},
		"content/tin-tuc/b.md": {Data: []byte("+++\ntitle = \"Bài B\"\ndate = 2024-05-02\nexpiryDate = 2030-01-01T00:00:00+08:00\n+++\nThân bài B.\n"), ModTime: time.Unix(1, 0)},
	}
	c := NewCache()
	docs, ds := LoadCached(context.Background(), fsys, Schema{}, c, nil, nil)
	if ds.HasErrors() || len(docs) != 2 {
		t.Fatalf("load: %d docs, %v", len(docs), ds.Items())
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadCache(&buf)
	if err != nil {
		t.Fatal(err)
	}
	again, ds := LoadCached(context.Background(), fsys, Schema{}, loaded, nil, nil)
	if ds.HasErrors() || len(again) != 2 {
		t.Fatalf("load from the saved cache: %d docs, %v", len(again), ds.Items())
	}
	for i, d := range again {
		want := *docs[i]
		if !loaded.Bodiless(d) || d.Body != nil {
			t.Errorf("%s was read again instead of taken from the saved cache", d.Path)
		}
		want.Body, d.Body = nil, nil
		if got, w := fmt.Sprintf("%#v", *d), fmt.Sprintf("%#v", want); got != w {
			t.Errorf("%s differs after a save:\n got %s\nwant %s", d.Path, got, w)
		}
		for _, pair := range [][2]time.Time{{d.Date, want.Date}, {d.Lastmod, want.Lastmod}, {d.ExpiryDate, want.ExpiryDate}} {
			if pair[0].String() != pair[1].String() {
				t.Errorf("%s: a date is %s after a save, %s before", d.Path, pair[0], pair[1])
			}
		}
		if got, w := fmt.Sprint(d.Params), fmt.Sprint(want.Params); got != w {
			t.Errorf("%s: Params %s after a save, %s before", d.Path, got, w)
		}
	}
	body, err := ReadBody(fsys, again[0], Schema{})
	if err != nil || string(body) != "Thân bài A.\n" {
		t.Errorf("ReadBody = %q, %v", body, err)
	}
}
