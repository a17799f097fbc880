package server

import "sync"

// Gate orders a Handler's requests with the moments its output folder and search index
// change (`portal serve --watch`). Switch runs a change while no request is opening files;
// a request holds the gate only while it opens what it answers with (the output folder,
// the file, its precompressed sibling, 404.html), never while it sends it, so a slow
// reader cannot hold up a switch. Each request is therefore answered entirely from the
// state before a change or entirely from the state after it, and a reader who fetched a
// page changed by a switch gets the lists, feeds and search answers of the same switch or
// a later one. A Gate that is never switched costs an uncontended read lock per request.
type Gate struct{ mu sync.RWMutex }

// enter holds the gate for opening files; the function it returns lets go (once, however
// often it is called).
func (g *Gate) enter() (leave func()) {
	g.mu.RLock()
	return sync.OnceFunc(g.mu.RUnlock)
}

// Switch runs change while no request is opening files, and returns its error.
func (g *Gate) Switch(change func() error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return change()
}
