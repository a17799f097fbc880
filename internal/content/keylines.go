package content

import (
	"encoding/binary"
	"iter"
	"slices"
	"strconv"
	"strings"
)

// KeyLines is where each top-level front matter key of a file is written (key → 1-based
// line), for diagnostics. The pairs are packed into one string, sorted by key, each as
// its key's length, the key and the line (uvarints): about 60 bytes for an article,
// where a map of its eight keys costs about 400 (issue 22, 100,000 articles in 1 GB).
// Two KeyLines are equal (==) when they hold the same pairs.
type KeyLines struct{ packed string }

// NewKeyLines packs m.
func NewKeyLines(m map[string]int) KeyLines {
	var b []byte
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}) {
		b = appendKeyLine(b, k, m[k])
	}
	return KeyLines{string(b)}
}

// appendKeyLine appends one pair in KeyLines' packed form; pairs must be appended in
// increasing order of key.
func appendKeyLine(b []byte, key string, line int) []byte {
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	return binary.AppendUvarint(b, uint64(max(line, 0)))
}

// Line returns the line of key.
func (k KeyLines) Line(key string) (int, bool) {
	for name, line := range k.All() {
		if name == key {
			return line, true
		}
	}
	return 0, false
}

// Len is the number of keys.
func (k KeyLines) Len() int {
	n := 0
	for range k.All() {
		n++
	}
	return n
}

// All yields the keys and their lines, sorted by key.
func (k KeyLines) All() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		s := k.packed
		for len(s) > 0 {
			n, w := uvarint(s)
			if w <= 0 || uint64(len(s)-w) < n {
				return
			}
			key := s[w : w+int(n)]
			s = s[w+int(n):]
			line, w := uvarint(s)
			if w <= 0 {
				return
			}
			s = s[w:]
			if !yield(key, int(line)) {
				return
			}
		}
	}
}

// uvarint is binary.Uvarint of a string's bytes.
func uvarint(s string) (uint64, int) {
	var x uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<(7*i), i + 1
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	return 0, 0
}

// String shows the pairs as a map does (map[date:3 title:2]).
func (k KeyLines) String() string {
	var b strings.Builder
	b.WriteString("map[")
	first := true
	for key, line := range k.All() {
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(key)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(line))
	}
	b.WriteByte(']')
	return b.String()
}
