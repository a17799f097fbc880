package content

// DropBody lets go of the Markdown of d, a document the cache holds, once its body is
// rendered and kept elsewhere: the entry becomes bodiless, as if read from a saved cache,
// so that Bodiless(d) tells a build to read the Markdown again (ReadBody) should it need
// to render the body anew. A document the cache does not hold as it is keeps its
// Markdown.
func (c *Cache) DropBody(d *Document) {
	if c == nil || d == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[d.Path]; ok && e.doc == d {
		d.Body = nil // read again for this render (ReadBody), or parsed
		if !e.bodiless {
			e.bodiless = true
			c.entries[d.Path] = e
		}
	}
}
