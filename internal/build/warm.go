package build

// fewChangedShare: a build that rendered the Markdown of at most this share of the
// articles changed few of them (an edit, an addition), so the search index stage has
// little to add to the previous index.
const fewChangedShare = 64

// fewChanged reports whether a build whose load rendered mc's bodies, of articles
// published, changed few articles (fewChangedShare).
func fewChanged(mc markdownCounts, articles int) bool {
	return mc.rendered <= articles/fewChangedShare
}
