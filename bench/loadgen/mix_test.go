package main

import (
	"math/rand/v2"
	"testing"
)

// TestSearchShare: -search-share sets the percent of requests that search.
func TestSearchShare(t *testing.T) {
	for _, share := range []int{0, 30, 100} {
		m := requestMix{pages: []string{"/"}, provinces: []string{"ha-tinh"}, categories: []string{"cntt"}, searchShare: share}
		r := rand.New(rand.NewPCG(1, 2))
		searches := 0
		const n = 10000
		for range n {
			if kind, _ := m.next(r); kind == kindAPI || kind == kindSearchPage {
				searches++
			}
		}
		if got := searches * 100 / n; got < share-2 || got > share+2 {
			t.Errorf("share %d: %d %% of the requests searched", share, got)
		}
	}
}
