package publish

import "sync"

// keptSet holds the paths of the current output a generation keeps as they are (kind
// Existing at its own path, Kept, and their .gz siblings), stored by the workers. A map
// under a mutex: a build with its cache keeps every page (346,000 paths at 100,000
// articles), and sync.Map's stores, each allocating its trie's nodes, cost three times as
// much.
type keptSet struct {
	mu    sync.Mutex
	paths map[string]struct{}
}

// Store adds rel.
func (k *keptSet) Store(rel string) {
	k.mu.Lock()
	if k.paths == nil {
		k.paths = map[string]struct{}{}
	}
	k.paths[rel] = struct{}{}
	k.mu.Unlock()
}

// Has reports whether rel was added.
func (k *keptSet) Has(rel string) bool {
	k.mu.Lock()
	_, ok := k.paths[rel]
	k.mu.Unlock()
	return ok
}

// Range calls f with each path added, until f returns false. f must not add paths.
func (k *keptSet) Range(f func(rel string) bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for rel := range k.paths {
		if !f(rel) {
			return
		}
	}
}
