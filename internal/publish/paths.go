package publish

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// ErrUnsafePath is wrapped by errors for output paths that are not a plain
// relative, slash-separated path inside the output folder.
var ErrUnsafePath = errors.New("unsafe output path")

// ErrCollision is wrapped by errors reporting that two inputs want the same
// output file, or that one wants a file where another needs a folder.
var ErrCollision = message.Errorf("hai nguồn cùng ghi vào một đường dẫn")

// cleanRel validates an output path and returns its cleaned form. It rejects
// anything that could name a location outside the output folder, or the
// folder itself: empty paths, absolute paths, backslashes, NUL bytes and any
// ".." component (even one that would cancel out, like "a/../b", so that a
// path means the same thing to every reader).
func cleanRel(rel string) (string, error) {
	if plainRel(rel) {
		return rel, nil // what checkRel returns for it, without splitting and cleaning
	}
	return checkRel(rel)
}

// checkRel is cleanRel without its fast path.
func checkRel(rel string) (string, error) {
	reason := ""
	switch {
	case rel == "":
		reason = "it is empty"
	case strings.IndexByte(rel, 0) >= 0:
		reason = "it contains a NUL byte"
	case strings.Contains(rel, `\`):
		reason = `it contains a backslash; use "/" between folders`
	case strings.HasPrefix(rel, "/"):
		reason = "it is absolute; output paths are relative to the output folder"
	case len(rel) >= 2 && rel[1] == ':':
		reason = "it looks like a Windows drive path"
	}
	if reason == "" {
		for _, part := range strings.Split(rel, "/") {
			if part == ".." {
				reason = `it contains a ".." component`
				break
			}
		}
	}
	clean := path.Clean(rel)
	if reason == "" && (clean == "." || clean == ".." || strings.HasPrefix(clean, "../")) {
		reason = "it does not name a file inside the output folder"
	}
	if reason == "" && strings.HasSuffix(rel, "/") {
		reason = "it ends with \"/\"; name the file (for example \"dir/index.html\")"
	}
	if reason != "" {
		return "", fmt.Errorf("%w %q: %s", ErrUnsafePath, rel, reason)
	}
	return clean, nil
}

// plainRel reports whether rel is already a clean output path: one or more names
// separated by single slashes, none empty, "." or "..", without a NUL byte or a
// backslash, and not beginning like a Windows drive path. cleanRel accepts such a path
// as it is (path.Clean leaves it unchanged), so it takes this one scan first: a saved
// listing's every path goes through cleanRel when it is read back (350,000 at 100,000
// articles).
func plainRel(rel string) bool {
	if rel == "" || (len(rel) >= 2 && rel[1] == ':') {
		return false
	}
	start := 0
	for i := 0; i <= len(rel); i++ {
		if i < len(rel) {
			switch rel[i] {
			case 0, '\\':
				return false
			case '/':
			default:
				continue
			}
		}
		switch rel[start:i] {
		case "", ".", "..":
			return false
		}
		start = i + 1
	}
	return true
}

// dirOf is path.Dir of a clean output path (cleanRel's): the part before its last
// slash, or "." for a name at the top, without path.Dir's cleaning.
func dirOf(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return "."
}

// baseOf is path.Base of a clean output path.
func baseOf(rel string) string { return rel[strings.LastIndexByte(rel, '/')+1:] }

// owner records who claimed an output path.
type owner struct {
	source   string
	reserved bool // a whole folder handed out by Writer.Reserve
	sibling  bool // the .gz sibling of source's file (claimSibling)
}

// name is what the owner is called in messages (Vietnamese, as the messages are).
func (o owner) name() string {
	if o.sibling {
		return siblingName(o.source)
	}
	return o.source
}

// siblingName is what the .gz sibling of source's file is called in messages.
func siblingName(source string) string { return "bản nén .gz của " + source }

// claimSibling claims rel for the .gz sibling of source's file: claim, with the name made
// only for a message.
func (c *claims) claimSibling(rel, source string, show func(string) string) error {
	if _, taken := c.files[rel]; !taken {
		if _, taken := c.dirs[rel]; !taken && !c.parentTaken(rel) {
			c.files[rel] = owner{source: source, sibling: true}
			c.addDirs(rel, source)
			return nil
		}
	}
	return c.claim(rel, siblingName(source), false, show)
}

// parentTaken reports whether a folder of rel is a claimed file.
func (c *claims) parentTaken(rel string) bool {
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if _, ok := c.files[dir]; ok {
			return true
		}
	}
	return false
}

// addDirs records the folders rel needs.
func (c *claims) addDirs(rel, source string) {
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if _, ok := c.dirs[dir]; ok {
			break // its ancestors are recorded too
		}
		c.dirs[dir] = source
	}
}

// claims tracks every output path claimed in one generation, so that two
// inputs writing the same file, or a file where a folder is needed, are
// reported with both inputs named instead of surfacing as an obscure
// filesystem error. It is guarded by Writer.mu.
type claims struct {
	files map[string]owner  // claimed file (or reserved folder) → owner
	dirs  map[string]string // folder implied by a claimed file → first source needing it
}

// claimsExpected is about how many paths a Writer on prev's output will claim: every
// file of the last generation without a listing. With one (and not Durable), the files
// of the last generation that are kept are not claimed (keep.go: an Existing file when
// the listing is trusted at Begin, a Kept one whatever the listing), and only what a
// build writes again is: at 10,000 articles under `portal serve --watch`, a few hundred
// claims where the listing has 35,000 files (room for them and their 17,500 folders was
// 2.2 MB allocated and cleared at every save for nothing); at 100,000 articles under
// `portal build` with its cache, a few dozen where it has ~350,000.
func claimsExpected(prev *Listing, opts Options) int {
	if prev != nil && !opts.Durable {
		return 0
	}
	return prev.Len()
}

// newClaimsFor returns claims with room for about n files (the last generation's).
func newClaimsFor(n int) claims {
	return claims{files: make(map[string]owner, n), dirs: make(map[string]string, n/2)}
}

// claim records rel (already cleaned) for source, or explains the conflict.
// show formats a path for messages (it prefixes the output folder's name).
func (c *claims) claim(rel, source string, reserved bool, show func(string) string) error {
	if prev, ok := c.files[rel]; ok {
		prev.reserved = prev.reserved || reserved // a reserved folder on either side: "used by both"
		return collision(show(rel), prev, source)
	}
	if prev, ok := c.dirs[rel]; ok {
		if reserved {
			return message.Errorf("%w: không dành được %s cho %s: %s đã ghi tệp vào trong đó",
				ErrCollision, show(rel), source, prev)
		}
		return message.Errorf("%w: %s của %s sẽ là một tệp, nhưng %s cần nó là thư mục",
			ErrCollision, show(rel), source, prev)
	}
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if prev, ok := c.files[dir]; ok {
			if prev.reserved {
				return message.Errorf("%w: %s của %s nằm trong %s, thư mục đã dành cho %s",
					ErrCollision, show(rel), source, show(dir), prev.name())
			}
			return message.Errorf("%w: %s của %s cần %s là thư mục, nhưng %s ghi nó thành tệp",
				ErrCollision, show(rel), source, show(dir), prev.name())
		}
	}
	c.files[rel] = owner{source: source, reserved: reserved}
	for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
		if _, ok := c.dirs[dir]; ok {
			break // its ancestors are recorded too
		}
		c.dirs[dir] = source
	}
	return nil
}
