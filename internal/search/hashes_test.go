package search

import (
	"encoding/json"
	"fmt"
	"maps"
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

// decodeHashes reads what json.Unmarshal reads, and rejects what it rejects: tables as
// encodeHashes writes them (plain or escaped), and bytes of every other kind.
func TestDecodeHashesIsJSONUnmarshal(t *testing.T) {
	inputs := []string{
		`{}`, `{"a":"b"}`, `{"a":"b","c":"d"}`, `{"a":"b","a":"c"}`, `{"/tin-tức/ă/":"x|y,;z"}`,
		`{"\u2028":"x"}`, "{\"\u2028\":\"x\"}", `{"a":"b\"c"}`, `{"a\\b":"c"}`, `{"a":"\u00e9"}`,
		`{ "a":"b"}`, `{"a" :"b"}`, `{"a":"b" }`, "{\"a\":\"b\"}\n", ` {"a":"b"}`, `{"a":"b",}`,
		`{,"a":"b"}`, `{"a":"b""c":"d"}`, `{"a":"b":"c"}`, `{"a"}`, `{"a":}`, `{"a":1}`, `{"a":null}`,
		`{"a":"b`, `{"a`, `{`, `}`, ``, `null`, `[]`, `"a"`, "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}",
		"{\"\xc3\":\"b\"}", `{"a":"b","c":"d"`, `{"a":"b"}}`, `{{}`, `{"":""}`, `{"a":""}`,
	}
	for _, h := range []map[string]string{
		{"/tin-tuc/a/": "abc", "/tin-tuc/b/": "def", "/": ""},
		{"/tin-tức/ă/": "x", "/a&b/": "<h>", `/q"uo\te/`: "\u2028\u2029", "/ctl\x01/": "\xff\xfe", "/z/": "tab\t"},
	} {
		b, err := encodeHashes(h)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		var want map[string]string
		werr := json.Unmarshal([]byte(in), &want)
		got, err := decodeHashes([]byte(in))
		if (err == nil) != (werr == nil) || !maps.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("%q: got %v, %v; json.Unmarshal %v, %v", in, got, err, want, werr)
		}
	}
}

// A table as the index writes it is read in one scan: the map, its entries' one copy of
// the bytes, and nothing per entry (json.Unmarshal made two strings of each).
func TestDecodeHashesOfAPlainTableAllocatesLittle(t *testing.T) {
	h := map[string]string{}
	for i := range 1000 {
		h[fmt.Sprintf("/tin-tuc/bai-%d/", i)] = fmt.Sprintf("%064x|/tin-tuc/bai-%d/|ha-noi,;chuyen-doi-so,;;", i, i)
	}
	b, err := encodeHashes(h)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(5, func() {
		got, err := decodeHashes(b)
		if err != nil || len(got) != len(h) {
			t.Fatal(len(got), err)
		}
	}); n > 20 {
		t.Errorf("decodeHashes of %d entries allocates %v times", len(h), n)
	}
}
