package vietnamese

import (
	"bytes"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Collator compares strings in Vietnamese alphabetical order:
//
//	a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
//
// with tones ordered as in Vietnamese dictionaries (a à ả ã á ạ) and only
// deciding between words whose letters are otherwise equal. It uses the
// CLDR Vietnamese tailoring of golang.org/x/text/collate, which the tests in
// this package check against the order above.
//
// A Collator is NOT safe for concurrent use: give each goroutine its own
// (NewCollator is cheap) or guard it with a mutex.
type Collator struct {
	c   *collate.Collator
	buf collate.Buffer
}

// NewCollator returns a Collator for Vietnamese.
func NewCollator() *Collator {
	return &Collator{c: collate.New(language.Vietnamese)}
}

// Compare returns -1, 0 or +1 as a sorts before, equal to or after b in
// Vietnamese order. Both strings are compared in NFC, so NFD input compares
// equal to its NFC form. Distinct strings may compare equal; the sort
// functions of this package break such ties by bytes.
func (c *Collator) Compare(a, b string) int {
	return c.c.CompareString(NFC(a), NFC(b))
}

// Key returns the collation key of s: for two strings a and b,
// bytes.Compare(c.Key(a), c.Key(b)) == c.Compare(a, b). The key is a fresh
// slice owned by the caller.
func (c *Collator) Key(s string) []byte {
	k := bytes.Clone(c.c.KeyFromString(&c.buf, NFC(s)))
	c.buf.Reset()
	return k
}

// SortStrings sorts ss in place in Vietnamese order. Strings that collate
// equal are ordered by their bytes, so the output does not depend on the
// input order. It creates its own Collator and is safe for concurrent use on
// distinct slices.
func SortStrings(ss []string) {
	SortFunc(ss, func(s string) string { return s })
}

// SortFunc sorts items in place by the Vietnamese order of key(item).
// Items whose keys collate equal are ordered by the bytes of the key, and
// items with identical keys keep their input order (the sort is stable), so
// the result is deterministic. key is called once per item. SortFunc creates
// its own Collator and is safe for concurrent use on distinct slices.
func SortFunc[T any](items []T, key func(T) string) {
	if len(items) < 2 {
		return
	}
	type entry struct {
		item T
		key  string
		coll []byte
	}
	var (
		c   = collate.New(language.Vietnamese)
		buf collate.Buffer
	)
	entries := make([]entry, len(items))
	for i, it := range items {
		k := key(it)
		// Keys stay valid until buf.Reset, which is never called here.
		entries[i] = entry{item: it, key: k, coll: c.KeyFromString(&buf, NFC(k))}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		if r := bytes.Compare(a.coll, b.coll); r != 0 {
			return r
		}
		return strings.Compare(a.key, b.key)
	})
	for i := range entries {
		items[i] = entries[i].item
	}
}
