package build

import (
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
)

// HeldBack is an article that a build did not publish because its file has errors (see
// Report.HeldBack).
type HeldBack struct {
	// Path is the content file ("content/tin-tuc/x.md").
	Path string
	// Kept are the output files of its last published version that the build carried
	// into the new output, as they were (its page, aliases, bundle files); none for an
	// article that was never published, which is left out.
	Kept []string
}

// articleFile reports whether p, a diagnostic's path, is an article's or standalone
// page's content file: an article-level error there holds back that file alone. A
// section's _index.md is the site's (its errors fail the build).
func articleFile(p string) bool {
	return strings.HasPrefix(p, "content/") && content.IsMarkdown(p) && !strings.HasPrefix(path.Base(p), "_index.")
}

// heldBack adds to held the content files that items has article-level errors about
// (diag.Rules with scope Article), and reports whether it added any.
func heldBack(items []diag.Diagnostic, held map[string]bool) bool {
	added := false
	for _, d := range items {
		if d.Severity == diag.Error && d.ArticleLevel() && (articleFile(d.Path) || weekFile(d.Path)) && !held[d.Path] {
			held[d.Path] = true
			added = true
		}
	}
	return added
}

// siteErr is the error of items, as diag.List.Err makes it, without the errors about
// held-back articles: nil when those are the only ones.
func siteErr(items []diag.Diagnostic, held map[string]bool) error {
	var errs []diag.Diagnostic
	for _, d := range items {
		if d.Severity == diag.Error && !held[d.Path] {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &diag.Errors{Items: errs}
}

// without returns in without the sources of the files in held.
func without(in site.Input, held map[string]bool) site.Input {
	if len(held) == 0 {
		return in
	}
	in.Sources = slices.DeleteFunc(slices.Clone(in.Sources), func(s site.Source) bool { return held[s.Doc.Path] })
	return in
}

// assembleHolding assembles the site without the articles in held. Unless strict, an
// article-level error found while assembling (an alias that cannot be used) holds its
// article back too, and the site is assembled once more without it; its diagnostics
// are those of the first assembly.
func assembleHolding(r *run, in site.Input, ds *diag.List, held map[string]bool, strict bool) *site.Graph {
	first := &diag.List{}
	g := r.assemble(without(in, held), first)
	if strict || !heldBack(first.Items(), held) || !anyIn(g, held) {
		ds.Merge(first)
		return g
	}
	second := &diag.List{}
	g = r.assemble(without(in, held), second)
	for _, d := range first.Items() {
		if held[d.Path] {
			ds.Add(d)
		}
	}
	ds.Merge(second)
	return g
}

func anyIn(g *site.Graph, held map[string]bool) bool {
	for _, a := range g.Contents() {
		if held[a.Path] {
			return true
		}
	}
	return false
}

// keepPlan is what a build carries over from the current output for its held-back
// articles: for each that the output's manifest lists, the files that are still there.
type keepPlan struct {
	dest     string
	files    map[string]publish.Published // content file → its files in dest
	articles int                          // held-back articles kept (standalone pages not counted)
	assets   publish.Assets               // the current output's assets
}

// planKeep returns what the held-back files keep of the output folder dest, whose
// manifest manifests gives. An output without a manifest (or with a damaged one) keeps
// nothing.
func planKeep(dest string, held []string, manifests manifestStore) keepPlan {
	p := keepPlan{dest: dest, files: map[string]publish.Published{}}
	if len(held) == 0 {
		return p
	}
	m, err := manifests.previous(dest)
	if err != nil {
		return p
	}
	p.assets = m.Assets
	for _, src := range held {
		prev, ok := m.Sources[src]
		if !ok {
			continue
		}
		var files []string
		for _, rel := range prev.Files {
			if st, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(rel))); err == nil && st.Mode().IsRegular() {
				files = append(files, rel)
			}
		}
		if len(files) == 0 {
			continue
		}
		p.files[src] = publish.Published{Files: files, Page: prev.Page}
		if !prev.Page {
			p.articles++
		}
	}
	return p
}

// pages returns the URLs of the kept pages: links to them are not broken.
func (p keepPlan) pages() []string {
	var out []string
	for _, f := range p.files {
		for _, rel := range f.Files {
			if strings.HasSuffix(rel, ".html") {
				out = append(out, "/"+rel)
			}
		}
	}
	return out
}

// carry adds the kept files to w as Existing files, except those the build produced
// itself (another article took the URL), with the current output's fingerprinted
// assets that this build replaced (the kept pages still link to them). It returns what
// each held-back file kept, for the report and the next manifest.
func (p keepPlan) carry(w publish.Sink, produced *recorder, assets publish.Assets) (map[string]publish.Published, error) {
	kept := map[string]publish.Published{}
	var old []string // older assets the kept pages may use
	for _, name := range slices.Sorted(maps.Keys(p.assets)) {
		if a, ok := assets[name]; !ok || a.URL != p.assets[name].URL {
			old = append(old, strings.TrimPrefix(p.assets[name].URL, "/"))
		}
	}
	added := map[string]bool{}
	add := func(rel, src string) (bool, error) {
		if added[rel] {
			return true, nil
		}
		if produced.has(rel) {
			// This build wrote it: a page (another article's now) is not kept; a
			// fingerprinted file (a photo variant, an asset) has the same bytes under the
			// same name, so the kept page has it.
			return publish.Fingerprinted(rel), nil
		}
		full := filepath.Join(p.dest, filepath.FromSlash(rel))
		if st, err := os.Lstat(full); err != nil || !st.Mode().IsRegular() {
			return false, nil
		}
		added[rel] = true
		return true, w.Add(publish.File{Rel: rel, SrcPath: full, Source: src + " (bản đã xuất bản trước)", Kind: publish.Existing})
	}
	for _, src := range slices.Sorted(maps.Keys(p.files)) {
		f := p.files[src]
		var files []string
		for _, rel := range f.Files {
			ok, err := add(rel, src)
			if err != nil {
				return nil, err
			}
			if ok {
				files = append(files, rel)
			}
		}
		if !slices.ContainsFunc(files, func(rel string) bool { return strings.HasSuffix(rel, ".html") }) {
			continue // its page is gone (another article writes it now): nothing is kept
		}
		for _, rel := range old {
			ok, err := add(rel, src)
			if err != nil {
				return nil, err
			}
			if ok && !slices.Contains(files, rel) {
				files = append(files, rel)
			}
		}
		slices.Sort(files)
		kept[src] = publish.Published{Files: files, Page: f.Page}
	}
	return kept, nil
}

// publishedFiles lists, for the manifest, the output files of each content file of g:
// its page, its aliases and its bundle's files (resources, see bundleResources).
func publishedFiles(g *site.Graph, resources []content.File) map[string]publish.Published {
	out := make(map[string]publish.Published, len(g.Articles)+len(g.Standalone))
	for _, p := range g.Pages {
		if len(p.Sources) != 1 || (p.Kind != site.KindArticle && p.Kind != site.KindPage && p.Kind != site.KindDocument && p.Kind != site.KindAlias && p.Kind != site.KindSchedule) {
			continue
		}
		e := out[p.Sources[0]]
		e.Files = append(e.Files, p.Path)
		if p.Kind == site.KindPage || p.Kind == site.KindSchedule { // not counted as articles
			e.Page = true
		}
		out[p.Sources[0]] = e
	}
	if len(resources) > 0 {
		bundles := map[string]*site.Article{}
		for _, a := range g.Contents() {
			if a.BundleDir != "" {
				bundles[a.BundleDir] = a
			}
		}
		for _, r := range resources {
			if a, ok := bundles[path.Dir(r.Rel)]; ok {
				if e, ok := out[a.Path]; ok {
					e.Files = append(e.Files, strings.TrimPrefix(a.URL, "/")+path.Base(r.Rel))
					out[a.Path] = e
				}
			}
		}
	}
	for _, e := range out {
		if len(e.Files) > 1 {
			slices.Sort(e.Files) // the slice is shared with the map's value: sorted in place
		}
	}
	return out
}

// filesMemo keeps publishedFiles' result while the graph and its bundles' files are the
// same (the preview: a graph refreshed in place has the same pages).
type filesMemo struct {
	graph *site.Graph
	key   string
	files map[string]publish.Published
}

func (m *filesMemo) published(g *site.Graph, resources []content.File) map[string]publish.Published {
	var key strings.Builder
	for _, r := range resources {
		key.WriteString(r.Rel + "\x00")
	}
	if g != m.graph || key.String() != m.key {
		m.graph, m.key, m.files = g, key.String(), publishedFiles(g, resources)
	}
	return m.files // shared: not to be changed
}

// bundleNames returns the names of a page bundle's files, as addStatic copies them
// (a folder that cannot be read has none here: addStatic reports it).
func bundleNames(siteDir, bundleDir string) []string {
	entries, err := os.ReadDir(filepath.Join(siteDir, filepath.FromSlash(bundleDir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !e.Type().IsRegular() || content.IsMarkdown(e.Name()) || content.Ignored(e.Name()) {
			continue
		}
		out = append(out, e.Name())
	}
	return out
}

// bundleResources lists the files of g's page bundles as content files, for the rules
// that check links to them.
func bundleResources(siteDir string, g *site.Graph) []content.File {
	var out []content.File
	for _, a := range g.Contents() {
		if a.BundleDir == "" {
			continue
		}
		for _, name := range bundleNames(siteDir, a.BundleDir) {
			out = append(out, content.File{Rel: a.BundleDir + "/" + name})
		}
	}
	return out
}

// recorder is a Sink that remembers the paths added to it.
type recorder struct {
	publish.Sink
	mu   sync.Mutex
	rels map[string]bool
}

// record wraps w to remember what the build writes, for a plan that keeps held-back
// files (keepPlan.carry asks); with nothing held back it only passes the files on.
func record(w publish.Sink, p keepPlan) *recorder {
	r := &recorder{Sink: w}
	if len(p.files) > 0 || len(p.assets) > 0 {
		r.rels = map[string]bool{}
	}
	return r
}

func (r *recorder) Add(f publish.File) error {
	if r.rels != nil {
		r.mu.Lock()
		r.rels[f.Rel] = true
		r.mu.Unlock()
	}
	return r.Sink.Add(f)
}

// KeepLast passes KeepLast on when nothing is held back (r remembers no paths): the
// files kept so are not added, so r could not say it has them.
func (r *recorder) KeepLast(gone []string) (bool, error) {
	if kl, ok := r.Sink.(lastKeeper); ok && r.rels == nil {
		return kl.KeepLast(gone)
	}
	return false, nil
}

func (r *recorder) has(rel string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rels[rel]
}

// manifestStore is where a build finds the manifest of the output it replaces, and what
// of its own manifest goes into the output folder.
type manifestStore interface {
	// previous returns the manifest of the current output in dest.
	previous(dest string) (publish.Manifest, error)
	// articles returns previous(dest)'s Articles, reading no more of it than that needs
	// (the shrink guard of every build).
	articles(dest string) (int, error)
	// file returns the output file of m, as it goes into the output folder.
	file(m publish.Manifest) publish.File
	// committed records m once the output that it describes is in place.
	committed(m publish.Manifest)
}

// diskManifest keeps the whole manifest in the output folder (portal build).
type diskManifest struct{}

func (diskManifest) previous(dest string) (publish.Manifest, error) {
	return publish.ReadManifest(dest)
}

// articles reads the count at the head of the file, not its file lists
// (publish.ReadManifestArticles).
func (diskManifest) articles(dest string) (int, error)    { return publish.ReadManifestArticles(dest) }
func (diskManifest) file(m publish.Manifest) publish.File { return manifestFile(m) }
func (diskManifest) committed(publish.Manifest)           {}

// manifestFile is the output file of m as it is.
func manifestFile(m publish.Manifest) publish.File {
	return publish.File{Rel: publish.ManifestName, Data: m.Encode(), Source: "the build's manifest", Kind: publish.Final}
}

// memoryManifest keeps the file lists (Sources) in memory (the preview: only its next
// build reads them, and encoding them at each save costs tens of milliseconds at 10,000
// articles); the output folder's manifest has the rest. (A MemoryCache building into an
// output folder therefore leaves a manifest without them there.)
type memoryManifest struct{ c *MemoryCache }

func (m memoryManifest) previous(string) (publish.Manifest, error) {
	if m.c.manifest == nil {
		return publish.Manifest{}, publish.ErrNoManifest
	}
	return *m.c.manifest, nil
}

func (m memoryManifest) articles(dest string) (int, error) {
	man, err := m.previous(dest)
	return man.Articles, err
}

func (memoryManifest) file(m publish.Manifest) publish.File {
	m.Sources = nil
	return manifestFile(m)
}

func (m memoryManifest) committed(man publish.Manifest) { m.c.manifest = &man }
