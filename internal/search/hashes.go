package search

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
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

// decodeHashes is json.Unmarshal of a table into a map: a table as encodeHashes writes
// it, an object of strings without an escape, white space or control character, is read
// in one scan, its keys and values sharing one copy of b (at 100,000 articles the table
// is 29 MB, which encoding/json checked, then decoded, on the build's one goroutine);
// anything else goes to encoding/json, which reads it (or rejects it) as it always did.
func decodeHashes(b []byte) (map[string]string, error) {
	if h, ok := decodePlainHashes(b); ok {
		return h, nil
	}
	var h map[string]string
	err := json.Unmarshal(b, &h)
	return h, err
}

// decodePlainHashes is decodeHashes' one scan: ok is false for anything but an object
// of plain strings (see decodeHashes) written without space, which encoding/json would
// decode to the same map.
func decodePlainHashes(b []byte) (map[string]string, bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, false
	}
	s := string(b[1 : len(b)-1])
	// A plain string holds no quote, so `","` only ever separates two entries.
	h := make(map[string]string, strings.Count(s, `","`)+1)
	str := func() (string, bool) {
		if len(s) == 0 || s[0] != '"' {
			return "", false
		}
		ascii := true
		for i := 1; i < len(s); i++ {
			switch c := s[i]; {
			case c == '"':
				v := s[1:i]
				s = s[i+1:]
				return v, ascii || utf8.ValidString(v)
			case c < 0x20 || c == '\\':
				return "", false
			case c >= utf8.RuneSelf:
				ascii = false
			}
		}
		return "", false
	}
	for first := true; len(s) > 0; first = false {
		if !first {
			if s[0] != ',' {
				return nil, false
			}
			s = s[1:]
		}
		k, ok := str()
		if !ok || len(s) == 0 || s[0] != ':' {
			return nil, false
		}
		s = s[1:]
		v, ok := str()
		if !ok {
			return nil, false
		}
		h[k] = v
	}
	return h, true
}
