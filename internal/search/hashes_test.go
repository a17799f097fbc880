package search

import (
	"encoding/json"
	"fmt"
	"testing"
)

// The hash table is encoded as json.Marshal encodes it, byte for byte, whatever the
// strings hold (the index's bytes must not depend on which encoder wrote them).
func TestEncodeHashesIsJSONMarshal(t *testing.T) {
	cases := []map[string]string{
		{},
		{"/tin-tuc/a/": "abc", "/tin-tuc/b/": "def", "/": ""},
		{"/tin-tức/ă/": "x", "/a&b/": "<h>", `/q"uo\te/`: "\u2028\u2029", "/ctl\x01/": "\xff\xfe", "/z/": "tab\t"},
	}
	big := map[string]string{}
	for i := range 3000 {
		big[fmt.Sprintf("/tin-tuc/bai-%d/", i*7919%3001)] = fmt.Sprintf("%064x", i)
	}
	cases = append(cases, big)
	for i, h := range cases {
		want, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeHashes(h)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("case %d:\n got %.200s\nwant %.200s", i, got, want)
		}
	}
}

// The hash table written from the documents in their URLs' order (a Memo's kept order)
// is the one encodeHashes writes from the map, byte for byte.
func TestEncodeInOrderIsEncodeHashes(t *testing.T) {
	var docs []preparedDoc
	hashes := map[string]string{}
	for i := range 3000 {
		d := preparedDoc{url: fmt.Sprintf("/tin-tức/bài-%d/", i*7919%3001), hash: fmt.Sprintf("%064x|<&>", i)}
		docs = append(docs, d)
		hashes[d.url] = d.hash
	}
	got, err := encodeInOrderEnds(docs, byURL(docs), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := encodeHashes(hashes)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("in order:\n got %.200s\nwant %.200s", got, want)
	}
}
