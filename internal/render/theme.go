// Package render turns assembled pages into bytes: Go html/template layouts looked up in the
// site's layouts/ folder first and the theme's second, plus feeds, sitemap, robots.txt and
// alias redirects, which are generated in code so that no template can break their syntax.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/BurntSushi/toml"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/vietnamese"
	"github.com/vnportal/portal/themes"
)

// Theme is a parsed set of layouts with its UI strings. It is immutable and safe for
// concurrent use.
type Theme struct {
	Name    string
	layouts map[string]*template.Template // layout name ("article.html") → template with baseof and partials
	strings map[string]string
	// english are the UI strings of pages in English (i18n/en.toml; i18n_en.go).
	english map[string]string
	// Files maps each layout file name to the file it was read from, for error messages.
	Files map[string]string
	sums  map[string]string
	// sources are the layout files' texts (NFC) by name, to turn text/template's byte
	// columns into the character columns of error messages (tmplerror.go).
	sources map[string]string
	// partials is baseof and the partials alone, for partialCached (cached.go).
	partials *template.Template
	// sizes remembers how long each layout's last page was, so that the next page's buffer
	// is allocated once instead of doubling from 64 bytes (sizes.go).
	sizes sizeHints
	// reads is what each layout may show of the site's structure (reads.go).
	reads map[string]Reads
	// compiled are the layouts and partials the compiled executor runs (compiled.go), by
	// name; a layout missing here is executed by text/template.
	compiled map[string]*executor
}

// Key returns a hash of every layout's source and the UI strings, for build caches.
func (t *Theme) Key() string {
	names := make([]string, 0, len(t.sums))
	for n := range t.sums {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s=%s\n", n, t.sums[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Layer is one place theme resources are looked up in.
type Layer struct {
	// Name is shown in messages ("layouts/" of the site, a theme folder, or the embedded theme).
	Name string
	FS   fs.FS
	// Dir is the folder on disk, "" for the embedded theme; Site is the site folder it
	// is in (messages name files relative to it).
	Dir, Site string
}

// Layers returns the lookup order for a theme resource kind ("layouts", "static", "i18n",
// "archetypes"): the site's own folder first, then themes/<theme>/ in the site, then, for
// the default theme, the copy embedded in the binary. The first layer that has a file wins.
func Layers(siteDir, theme, kind string) []Layer {
	out := []Layer{
		diskLayer(siteDir, filepath.Join(siteDir, kind)),
		diskLayer(siteDir, filepath.Join(siteDir, "themes", theme, kind)),
	}
	if theme == "default" {
		if sub, err := fs.Sub(themes.Default(), kind); err == nil {
			out = append(out, Layer{Name: "(giao diện mặc định, có sẵn trong portal)/" + kind, FS: sub})
		}
	}
	return out
}

func diskLayer(site, dir string) Layer {
	return Layer{Name: dir, FS: os.DirFS(dir), Dir: dir, Site: site}
}

// walkLayers calls fn for each file (slash path relative to the layer) in lookup order,
// skipping files an earlier layer already had and anything hidden. A symbolic link or a
// special file is an error naming it (content.Refused).
func walkLayers(layers []Layer, fn func(rel string, l Layer) error) error {
	seen := map[string]bool{}
	for _, l := range layers {
		err := fs.WalkDir(l.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == "." && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
				}
				return err
			}
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || seen[p] {
				return nil
			}
			if !d.Type().IsRegular() {
				return l.refused(p, d.Type())
			}
			seen[p] = true
			return fn(p, l)
		})
		if _, ok := diag.AsErrors(err); err != nil && !ok {
			return message.Errorf("không đọc được %s: %w", l.Name, err)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// refused returns the error for the entry rel of the layer, of the given type, that is not
// a regular file (content.Refused: one rule for every input folder).
func (l Layer) refused(rel string, mode fs.FileMode) error {
	disk := filepath.Join(l.Dir, filepath.FromSlash(rel))
	show, target := disk, ""
	if r, err := filepath.Rel(l.Site, disk); err == nil && l.Dir != "" {
		show = filepath.ToSlash(r)
	}
	if mode&fs.ModeSymlink != 0 && l.Dir != "" {
		target, _ = os.Readlink(disk)
	}
	return &diag.Errors{Items: []diag.Diagnostic{content.Refused(show, mode, target)}}
}

// LoadTheme parses the layouts of a theme with the site's overrides. Template syntax
// errors come back as diagnostics at path:line (tmplerror.go).
func LoadTheme(siteDir, theme string, funcs template.FuncMap) (*Theme, error) {
	type src struct {
		layer Layer
		rel   string
	}
	files := map[string]src{}
	layers := Layers(siteDir, theme, "layouts")
	err := walkLayers(layers, func(rel string, l Layer) error {
		if strings.HasSuffix(rel, ".html") {
			files[rel] = src{l, rel}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, message.Errorf("giao diện %q không có mẫu trang (layouts): cần thư mục %s hoặc %s", theme, layers[1].Name, layers[0].Name)
	}
	t := &Theme{Name: theme, layouts: map[string]*template.Template{}, Files: map[string]string{}, sums: map[string]string{}, sources: map[string]string{}, sizes: sizeHints{}}
	for rel, f := range files {
		t.Files[rel] = f.layer.Name + "/" + rel
	}
	if t.strings, err = loadStrings(siteDir, theme); err != nil {
		return nil, err
	}
	t.sums["i18n/vi.toml"] = fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(t.strings))))
	if t.english, err = loadStringsOf(siteDir, theme, "en.toml"); err != nil {
		return nil, err
	}
	t.sums["i18n/en.toml"] = fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(t.english))))
	allFuncs := template.FuncMap{"T": t.T}
	for k, v := range funcs {
		allFuncs[k] = v
	}
	_, ownT := funcs["T"]
	fold := func(set *template.Template) {
		if !ownT { // the UI strings written in once (fold.go)
			t.foldStrings(set)
		}
	}
	base := template.New("").Funcs(allFuncs)
	var names []string
	for rel := range files {
		names = append(names, rel)
	}
	slices.Sort(names)
	shared := func(rel string) bool { return rel == "baseof.html" || strings.HasPrefix(rel, "partials/") }
	for _, rel := range names {
		if shared(rel) {
			if err := t.parseInto(base, rel, files[rel].layer, t.Files[rel], allFuncs); err != nil {
				return nil, err
			}
			t.sizes[rel] = new(atomic.Int64) // partialCached's fragments (cached.go)
		}
	}
	fold(base)
	if t.partials, err = base.Clone(); err != nil {
		return nil, err
	}
	for _, rel := range names {
		if shared(rel) {
			continue
		}
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if err := t.parseInto(clone, rel, files[rel].layer, t.Files[rel], allFuncs); err != nil {
			return nil, err
		}
		fold(clone)
		t.layouts[rel] = clone
		t.sizes[rel] = new(atomic.Int64)
	}
	t.analyseLayouts(allFuncs)
	// Constant strings printed as text (fold.go), once the analysis is done.
	raw := map[string]*template.Template{"": t.partials}
	for rel, l := range t.layouts {
		raw[rel] = l
		t.layouts[rel] = escapeAndFold(l, []string{rel})
	}
	var partials []string
	for _, p := range t.partials.Templates() {
		if strings.HasPrefix(p.Name(), "partials/") {
			partials = append(partials, p.Name())
		}
	}
	slices.Sort(partials)
	t.partials = escapeAndFold(t.partials, partials)
	if err := t.compile(allFuncs, raw, partials); err != nil {
		return nil, err
	}
	return t, nil
}

// compile compiles every layout and partial that html/template escaped and the compiled
// executor can run exactly (compiled.go); the others keep text/template.
// raw holds each layout's set before escapeAndFold, and the partials' under "".
func (t *Theme) compile(funcs template.FuncMap, raw map[string]*template.Template, partials []string) error {
	refs, err := newEscaperRefs()
	if err != nil {
		return err
	}
	t.compiled = map[string]*executor{}
	add := func(set, raw *template.Template, name string) {
		if set.Lookup(escapeName) == nil { // not escaped (escapeAndFold)
			return
		}
		if x, err := compileLayout(set, raw, name, funcs, refs); err == nil {
			t.compiled[name] = x
		}
	}
	for rel, l := range t.layouts {
		add(l, raw[rel], rel)
	}
	for _, p := range partials {
		add(t.partials, raw[""], p)
	}
	return nil
}

// parseInto parses the layout file name of layer l into t. A syntax error comes back as
// a diagnostic at file:line (tmplerror.go); funcs are the functions the templates may call.
func (th *Theme) parseInto(t *template.Template, name string, l Layer, file string, funcs template.FuncMap) error {
	src, err := fs.ReadFile(l.FS, name)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(src)
	th.sums[name] = hex.EncodeToString(sum[:])
	text := vietnamese.NFC(string(src))
	th.sources[name] = text
	if _, err := t.New(name).Parse(text); err != nil {
		return parseError(file, err, funcs)
	}
	return nil
}

func loadStrings(siteDir, theme string) (map[string]string, error) {
	return loadStringsOf(siteDir, theme, "vi.toml")
}

// loadStringsOf reads the UI strings file name (vi.toml, en.toml) of the theme and of
// the site, the site's overriding the theme's key by key.
func loadStringsOf(siteDir, theme, name string) (map[string]string, error) {
	out := map[string]string{}
	layers := Layers(siteDir, theme, "i18n")
	for i := len(layers) - 1; i >= 0; i-- { // theme first, site overrides key by key
		src, err := fs.ReadFile(layers[i].FS, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if _, err := toml.Decode(vietnamese.NFC(string(src)), &m); err != nil {
			return nil, fmt.Errorf("%s/%s: %v", layers[i].Name, name, err)
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// T returns the UI string for key; a missing key is an error so that no page shows a raw key.
// A page in English asks for its strings with the language: {{ T "key" "en" }}.
func (t *Theme) T(key string, lang ...string) (string, error) {
	if len(lang) > 0 && lang[0] != "vi" {
		return t.in(key, lang[0])
	}
	if s, ok := t.strings[key]; ok {
		return s, nil
	}
	return "", message.Errorf("thiếu chữ giao diện %q: thêm nó vào i18n/vi.toml", key)
}

// LayoutFor lists the layouts that can render a page, most specific first.
func LayoutFor(p *site.Page) []string {
	k := string(p.Kind)
	var out []string
	if p.Taxonomy != nil {
		out = append(out, k+"-"+p.Taxonomy.Key+".html")
	}
	if l := pageLayout(p); l != "" {
		out = append(out, k+"-"+l+".html")
	}
	out = append(out, k+".html")
	switch p.Kind {
	case site.KindHome, site.KindSection, site.KindTerm, site.KindYear:
		out = append(out, "list.html")
	case site.KindArticle, site.KindPage:
		out = append(out, "single.html")
	case site.KindContact:
		out = append(out, "page-contact.html")
	case site.KindDocument: // a theme without document.html shows it as a page
		out = append(out, "page.html", "single.html")
	case site.KindLibrary:
		out = append(out, "list.html")
	}
	return out
}

// Execute renders a page with the first layout that exists.
func (t *Theme) Execute(p *site.Page, data any) ([]byte, error) {
	return t.ExecuteTo(nil, p, data)
}

// ExecuteTo is Execute writing the page into dst's memory (from its start, whatever dst
// holds) when it fits (Renderer.RenderTo): at 10,000 articles of the template corpus a
// new buffer per page was 0.46 of the 1.21 GB the templates allocated (BENCHMARKS.md,
// fifteenth session, render22).
func (t *Theme) ExecuteTo(dst []byte, p *site.Page, data any) ([]byte, error) {
	b, _, err := t.executeFragments(dst, p, data)
	return b, err
}

// executeFragments is ExecuteTo, with where the page holds partialCached's fragments.
func (t *Theme) executeFragments(dst []byte, p *site.Page, data any) ([]byte, []publish.Span, error) {
	for _, name := range LayoutFor(p) {
		if tmpl, ok := t.layouts[name]; ok {
			return t.executeLayout(dst, name, tmpl, data)
		}
	}
	return nil, nil, message.Errorf("không có mẫu cho trang %s %s: thêm một trong các tệp %s vào layouts/ của giao diện", p.Kind, p.URL, strings.Join(LayoutFor(p), ", "))
}

// executeLayout renders data with layout name (tmpl): by the compiled executor when the
// layout is compiled, else, or when it fails, by text/template from the page's start.
// The compiled executor also says where the page holds partialCached's fragments
// (fragmentSpans); text/template does not (no spans).
func (t *Theme) executeLayout(dst []byte, name string, tmpl *template.Template, data any) ([]byte, []publish.Span, error) {
	buf := bytes.NewBuffer(dst[:0])
	buf.Grow(t.sizes.hint(name))
	if x, ok := t.compiled[name]; ok {
		frags := fragmentSpans{buf: buf}
		if err := x.executeSpans(buf, data, &frags); err == nil {
			t.sizes.saw(name, buf.Len())
			return buf.Bytes(), frags.spans, nil
		}
		buf.Reset()
	}
	if err := tmpl.ExecuteTemplate(buf, name, data); err != nil {
		return nil, nil, t.execError(err, data)
	}
	t.sizes.saw(name, buf.Len())
	return buf.Bytes(), nil, nil
}

// StaticFile is one file to publish from a static/ folder.
type StaticFile struct {
	Layer Layer
	Rel   string // slash path inside static/ and inside the output
}

// Name describes where the file comes from, for messages.
func (f StaticFile) Name() string { return f.Layer.Name + "/" + f.Rel }

// Path is the file on disk, "" for an embedded file.
func (f StaticFile) Path() string {
	if f.Layer.Dir == "" {
		return ""
	}
	return filepath.Join(f.Layer.Dir, filepath.FromSlash(f.Rel))
}

// StaticFiles lists static files: the site's static/ over the theme's, file by file,
// sorted by path.
func StaticFiles(siteDir, theme string) ([]StaticFile, error) {
	var out []StaticFile
	err := walkLayers(Layers(siteDir, theme, "static"), func(rel string, l Layer) error {
		out = append(out, StaticFile{Layer: l, Rel: rel})
		return nil
	})
	slices.SortFunc(out, func(a, b StaticFile) int { return strings.Compare(a.Rel, b.Rel) })
	return out, err
}

func itoa(i int) string { return strconv.Itoa(i) }
