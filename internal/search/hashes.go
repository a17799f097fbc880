package search

import (
	"encoding/json"
	"slices"
	"strings"
)

// encodeHashes is json.Marshal(hashes), byte for byte (keys in byte order, the same
// escaping), without reflection: a string of plain printable ASCII without a character
// encoding/json escapes (`"`, `\`, `<`, `>`, `&`) is copied as it is, any other is
// encoded by encoding/json. `portal serve --watch` writes the table at every save (all
// the site's URLs: 1 MB at 10,000 articles), where json.Marshal cost ~18 ms.
func encodeHashes(hashes map[string]string) ([]byte, error) {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(hashes))
	size := 2
	for k, v := range hashes {
		pairs = append(pairs, pair{k, v})
		size += len(k) + len(v) + 6
	}
	slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.k, b.k) })
	b := make([]byte, 0, size)
	b = append(b, '{')
	var err error
	for i, p := range pairs {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendJSONString(b, p.k); err != nil {
			return nil, err
		}
		b = append(b, ':')
		if b, err = appendJSONString(b, p.v); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as encoding/json encodes it.
func appendJSONString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, err := json.Marshal(s)
			return append(b, q...), err
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// encodeInOrderEnds is encodeHashes of the URLs and hashes of docs, given the positions
// of docs in the order of their URLs (a Memo keeps it from one build to the next): what
// `portal serve --watch` writes at every save, without collecting and sorting 10,000
// pairs again (TestEncodeInOrderIsEncodeHashes). ends, when not nil (as long as order),
// gets the end of each entry in the table (Memo.hashTable splices entries by them).
func encodeInOrderEnds(docs []preparedDoc, order []int, ends []int) ([]byte, error) {
	size := 2
	for _, d := range docs {
		size += len(d.url) + len(d.hash) + 6
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	var err error
	for i, at := range order {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendEntry(b, docs[at]); err != nil {
			return nil, err
		}
		if ends != nil {
			ends[i] = len(b)
		}
	}
	return append(b, '}'), nil
}

// appendEntry appends d's entry of the hash table, "url":"hash".
func appendEntry(b []byte, d preparedDoc) ([]byte, error) {
	b, err := appendJSONString(b, d.url)
	if err != nil {
		return nil, err
	}
	b = append(b, ':')
	return appendJSONString(b, d.hash)
}
