package publish

// Buffers is a free list of byte buffers that a producer renders files into and a
// Writer gives back once it has written them (File.Buffers), so that a build's pages
// are made in a handful of buffers instead of one new allocation each: at 100,000
// articles, where every collection marks a live site graph of several hundred MB, each
// byte a build allocates costs about as much to collect again (BENCHMARKS.md, fifteenth
// session, render22). It is safe for concurrent use.
type Buffers struct {
	free chan []byte
}

// maxBufferKept bounds the capacity of a buffer the list keeps: a sitemap of 50,000
// addresses is megabytes, a page tens of KB; a rare large file is left to the collector
// rather than held for the rest of the build.
const maxBufferKept = 1 << 20

// NewBuffers returns a free list that keeps up to n buffers (the files in flight
// between the producers and the Writer's workers at one time).
func NewBuffers(n int) *Buffers {
	return &Buffers{free: make(chan []byte, max(n, 1))}
}

// Get returns an empty buffer: a freed one, or nil when none is free (append or a
// bytes.Buffer then allocates).
func (b *Buffers) Get() []byte {
	select {
	case p := <-b.free:
		return p[:0]
	default:
		return nil
	}
}

// Put gives p back for a later Get; nobody may use p afterwards. A nil list (a File
// whose producer keeps its Data) takes nothing.
func (b *Buffers) Put(p []byte) {
	if b == nil || cap(p) == 0 || cap(p) > maxBufferKept {
		return
	}
	select {
	case b.free <- p:
	default: // enough free already
	}
}
