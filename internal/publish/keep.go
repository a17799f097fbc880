package publish

import "path/filepath"

// Keeping the files of the last commit without reading them. With a usable
// Options.Previous (nothing else changed the output since the commit that made the
// Listing), a file of kind Existing at its own path that the Listing lists is kept where
// it is as soon as it is added: no stat, no worker, and its .gz sibling is kept when the
// Listing lists it too (the last commit left both). `portal serve --watch` adds ~18,000
// such pages per save at 10,000 articles; reading each one and its sibling again cost
// more than the rest of the commit. The caller's promise is that of Existing: the file
// did not change since that commit. Without a usable listing (the first build, another
// build or a recovery in between), or with Options.Durable, an Existing file is checked
// and linked by a worker as before.

// keepListed keeps j in place when the Writer plans from the previous Listing and it
// lists j (see above), with its sibling gz ("": none claimed) when listed too; it reports
// whether it did. Called by enqueue with w.mu held and j's paths claimed.
func (w *Writer) keepListed(j File, gz string) bool {
	// prevParent is set only when the listing was trusted at Begin (the output's parent
	// folder as the listing's commit left it); a listing still to be checked at Commit
	// (a saved one, or one after another build) does not vouch for a file's bytes.
	if j.Kind != Existing || w.prev == nil || w.prevParent.IsZero() || w.opts.Durable || !w.isCurrent(j.SrcPath, j.Rel) {
		return false
	}
	if _, ok := w.prev.files[j.Rel]; !ok {
		return false
	}
	if w.listedKept == nil {
		w.listedKept = make(map[string]struct{}, len(w.prev.files))
	}
	w.listedKept[j.Rel] = struct{}{}
	w.files.Add(1)
	if gz != "" {
		if _, ok := w.prev.files[gz]; ok {
			w.listedKept[gz] = struct{}{}
			w.precompressed.Add(1)
		}
	}
	return true
}

// isCurrent reports whether src is the path of rel in the current output (w.current(rel),
// without making it).
func (w *Writer) isCurrent(src, rel string) bool {
	if filepath.Separator != '/' {
		return filepath.Clean(src) == w.current(rel)
	}
	n := len(w.dest)
	return len(src) == n+1+len(rel) && src[:n] == w.dest && src[n] == '/' && src[n+1:] == rel
}

// Current reports whether l still lists the output folder dest as it is: nothing but the
// Writer that made it changed the folder since (see Listing). A caller that keeps what
// it knows of the files of dest from that commit may trust it while this holds.
func (l *Listing) Current(dest string) bool { return l.forDest(dest).parentUnchanged(dest) }

// Has reports whether l lists the file rel (slash-separated, relative to the output).
func (l *Listing) Has(rel string) bool {
	_, ok := l.files[rel]
	return ok
}
