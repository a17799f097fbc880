package content

// NewTerms returns the lists of m (taxonomy key → values), without the empty ones.
func NewTerms(m map[string][]string) Terms {
	var t Terms
	for k, v := range m {
		t.Set(k, v)
	}
	return t
}
