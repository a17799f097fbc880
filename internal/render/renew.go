package render

// Renew readies r for the next build of the same site when nothing it was made from
// changed: the same options (configuration, assets, the very same graph, refreshed in
// place by site.Refresh) and the same theme files (the caller checks them). The parsed
// and escaped templates are kept, which spares a rebuild of the preview or of `portal
// serve --watch` parsing, cloning, escaping and analysing every layout again after an
// edit; the fragments partialCached kept are dropped, since they show articles that may
// have changed, and the cache gets its whole budget back (see KeepFragments). Not safe
// while r renders: the callers hold their build lock.
func (r *Renderer) Renew() {
	r.KeepFragments(0)
}
