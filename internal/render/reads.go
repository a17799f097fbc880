package render

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"sort"
	"strings"
	"text/template/parse"

	"github.com/vnportal/portal/internal/site"
)

// What a layout reads of the site's structure.
//
// A page's key (internal/build) covers its own fields and the articles it depends on
// (site.Page.Deps). Beyond those, a template can reach the site's shape: the sections and
// their article counts, the taxonomies' terms with their counts, the archive's years, the
// newest articles, the standalone pages, the library. Adding or deleting an article
// changes that shape, and a page that shows it must be rendered again; a page that does
// not show it (an article's page in the default theme) need not be.
//
// Which parts a layout can show is found by reading its templates, not by running them:
// the layout, baseof, and every template and partialCached they call, with the Go type of
// dot followed through fields, methods, with, range, variables and dict. A value whose
// type cannot be followed (an interface, a function the analysis does not know) counts as
// reading every part when a field of it has a name that some part is reached by, so a
// custom theme is never under-keyed; it may only be keyed more than it needs.

// Reads is a set of parts of the site's structure a layout may show.
type Reads uint16

// The parts. The "own" ones are the page's own section, term, year or taxonomy (a term's
// page showing its count): only that object's shape goes into the key.
const (
	ReadsSections    Reads = 1 << iota // every section with its number of articles
	ReadsTaxonomies                    // every taxonomy's terms, names and counts
	ReadsYears                         // the archive's years with their counts
	ReadsLatest                        // the newest articles (site.Graph.Articles)
	ReadsStandalone                    // the standalone pages
	ReadsLibrary                       // the library: documents and filters with counts
	ReadsOwnSection                    // the page's section and its number of articles
	ReadsOwnTerm                       // the page's term, its counts and merged provinces
	ReadsOwnYear                       // the page's year and its number of articles
	ReadsOwnTaxonomy                   // the page's taxonomy: its terms and their counts

	// ReadsAll is every part of the site's structure.
	ReadsAll = ReadsSections | ReadsTaxonomies | ReadsYears | ReadsLatest | ReadsStandalone | ReadsLibrary
)

var readsNames = []string{"sections", "taxonomies", "years", "latest", "standalone", "library", "own-section", "own-term", "own-year", "own-taxonomy"}

// String lists the parts, for tests and messages: "sections,library".
func (r Reads) String() string {
	var out []string
	for i, n := range readsNames {
		if r&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ",")
}

// Reads returns the parts of the site's structure page p's layout may show. Feeds,
// sitemaps, robots.txt and redirects are made by Go code that shows only the page's own
// fields and articles.
func (r *Renderer) Reads(p *site.Page) Reads {
	switch p.Kind {
	case site.KindFeed, site.KindSitemap, site.KindSitemapIndex, site.KindRobots, site.KindAlias:
		return 0
	}
	if p.Kind == site.KindArticle { // most pages: one lookup, no allocation
		if rd, ok := r.theme.reads["article.html"]; ok {
			return rd
		}
	}
	for _, name := range LayoutFor(p) {
		if rd, ok := r.theme.reads[name]; ok {
			return rd
		}
	}
	return ReadsAll // no layout: the page fails to render anyway
}

// origin says where a value came from: the page being rendered (and the data it is
// rendered with), its own section, term or year (Page.Section, Term, Year), its own
// taxonomy (Page.Taxonomy, Page.Regions, the own term's Taxonomy, and the terms and
// regions within it), or anywhere else.
type origin uint8

const (
	fromElsewhere origin = iota
	fromPage
	fromOwn
	fromOwnTaxonomy
)

// aval is what the analysis knows of a value: its type (nil: unknown), where it came
// from, and for a dict with constant keys, each entry.
type aval struct {
	t    reflect.Type
	from origin
	dict map[string]aval
}

var unknown = aval{}

func (v aval) sig() string {
	if v.dict == nil {
		return fmt.Sprint(v.t, v.from)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range v.dict {
			if !yield(k) {
				return
			}
		}
	})
	var b strings.Builder
	b.WriteString("dict{")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s:%s;", k, v.dict[k].sig())
	}
	b.WriteString("}")
	return b.String()
}

var (
	typeData     = reflect.TypeFor[Data]()
	typeGraph    = reflect.TypeFor[*site.Graph]()
	typePage     = reflect.TypeFor[*site.Page]()
	typeSection  = reflect.TypeFor[*site.Section]()
	typeTerm     = reflect.TypeFor[*site.Term]()
	typeTaxonomy = reflect.TypeFor[*site.Taxonomy]()
	typeYear     = reflect.TypeFor[*site.Year]()
	typeRegion   = reflect.TypeFor[site.Region]()
	typeLibrary  = reflect.TypeFor[*site.Library]()
	typeFacet    = reflect.TypeFor[*site.Facet]()
)

// structuralNames are the names by which any part of the structure is reached: a field
// of a value of unknown type with one of these names counts as reading every part.
var structuralNames = map[string]bool{
	"Graph": true, "Sections": true, "Taxonomies": true, "Taxonomy": true, "Years": true, "Articles": true,
	"Standalone": true, "Documents": true, "Library": true, "Pages": true, "Contents": true, "Terms": true,
	"Count": true, "Total": true, "MergedCount": true, "Successor": true, "Predecessors": true,
	"Regions": true, "Facet": true, "Types": true, "Issuers": true, "Fields": true, "Lookup": true,
}

// fieldReads is what reading field name of a value v shows of the structure.
func fieldReads(v aval, name string) Reads {
	pick := func(global, mine Reads) Reads {
		switch v.from {
		case fromOwn:
			return mine
		case fromOwnTaxonomy:
			return ReadsOwnTaxonomy
		}
		return global
	}
	switch v.t {
	case nil:
		if structuralNames[name] {
			return ReadsAll
		}
		return 0
	case typeGraph:
		switch name {
		case "Config":
			return 0
		case "Sections":
			return ReadsSections
		case "Taxonomies", "Taxonomy":
			return ReadsTaxonomies
		case "Years":
			return ReadsYears
		case "Articles":
			return ReadsLatest
		case "Standalone":
			return ReadsStandalone
		case "Documents", "Library":
			return ReadsLibrary
		}
		return ReadsAll // Pages, Contents and anything added later
	case typePage:
		if v.from != fromPage { // another page than the one rendered (Graph.Pages)
			return ReadsAll
		}
		switch name {
		case "Regions":
			return ReadsOwnTaxonomy
		case "Library", "Facet":
			return ReadsLibrary
		}
		return 0
	case typeSection:
		if name == "Articles" {
			return pick(ReadsSections, ReadsOwnSection)
		}
	case typeTerm:
		switch name {
		case "Articles", "Count", "Total", "MergedCount", "Successor", "Predecessors", "PredecessorNames":
			return pick(ReadsTaxonomies, ReadsOwnTerm)
		}
	case typeTaxonomy:
		if name == "Terms" {
			return pick(ReadsTaxonomies, ReadsOwnTaxonomy)
		}
	case typeRegion:
		return pick(ReadsTaxonomies, ReadsTaxonomies)
	case typeYear:
		if name == "Articles" {
			return pick(ReadsYears, ReadsOwnYear)
		}
	case typeLibrary, typeFacet:
		switch name {
		case "URL", "FeedURL", "Name", "Slug", "Filter":
			return 0
		}
		return ReadsLibrary
	}
	return 0
}

// field returns the value of field or method name of v, as text/template finds it: a
// method of the value (or of its pointer), else a struct field, else a map entry.
func field(v aval, name string) aval {
	if v.dict != nil {
		if e, ok := v.dict[name]; ok {
			return e
		}
		return unknown
	}
	t := v.t
	if t == nil {
		return unknown
	}
	var rt reflect.Type
	if m, ok := t.MethodByName(name); ok {
		if m.Type.NumOut() > 0 {
			rt = m.Type.Out(0)
		}
	} else if m, ok := reflect.PointerTo(t).MethodByName(name); ok && t.Kind() != reflect.Pointer {
		if m.Type.NumOut() > 0 {
			rt = m.Type.Out(0)
		}
	} else {
		st := t
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		switch st.Kind() {
		case reflect.Struct:
			if f, ok := st.FieldByName(name); ok {
				rt = f.Type
			}
		case reflect.Map:
			rt = st.Elem()
		}
	}
	if rt == nil {
		return unknown
	}
	return aval{t: concrete(rt), from: childOrigin(v, name, rt)}
}

// childOrigin is where field name of v (of type rt) comes from.
func childOrigin(v aval, name string, rt reflect.Type) origin {
	switch {
	case v.from == fromPage && v.t == typeData && name == "Page":
		return fromPage
	case v.from == fromPage && v.t == typePage:
		switch name {
		case "Section", "Term", "Year":
			return fromOwn
		case "Taxonomy", "Regions":
			return fromOwnTaxonomy
		}
	case v.from == fromOwn && v.t == typeTerm && name == "Taxonomy":
		return fromOwnTaxonomy
	case v.from == fromOwnTaxonomy:
		// Within the taxonomy: its terms, regions, a term's successor and predecessors.
		// An article (a term's Articles) leads out of it.
		base := rt
		for base.Kind() == reflect.Slice || base.Kind() == reflect.Array {
			base = base.Elem()
		}
		switch base {
		case typeTerm, typeTaxonomy, typeRegion:
			return fromOwnTaxonomy
		}
	}
	return fromElsewhere
}

// elem is the value range gives dot over v.
func elem(v aval) aval {
	if v.t == nil {
		return aval{from: v.from}
	}
	t := v.t
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Chan:
		return aval{t: concrete(t.Elem()), from: v.from}
	case reflect.Int, reflect.Int64:
		return aval{t: t}
	}
	return aval{from: v.from}
}

func concrete(t reflect.Type) reflect.Type {
	if t != nil && t.Kind() == reflect.Interface {
		return nil
	}
	return t
}

// analysis reads the templates of one layout.
type analysis struct {
	layout   *template.Template // the layout with baseof and partials: {{ template }} names
	partials *template.Template // partialCached's templates
	funcs    map[string]reflect.Type
	reads    Reads
	seen     map[string]bool
}

// layoutReads returns what layout name (a template of tmpl) may show of the structure.
func (t *Theme) layoutReads(name string, tmpl *template.Template, funcs template.FuncMap) Reads {
	a := &analysis{layout: tmpl, partials: t.partials, funcs: map[string]reflect.Type{}, seen: map[string]bool{}}
	for k, f := range funcs {
		ft := reflect.TypeOf(f)
		if ft.Kind() == reflect.Func && ft.NumOut() > 0 {
			a.funcs[k] = ft.Out(0)
		}
	}
	root := aval{t: typeData, from: fromPage}
	a.template(tmpl, name, root)
	return a.reads
}

func (a *analysis) template(ns *template.Template, name string, dot aval) {
	key := name + "\x00" + dot.sig()
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	t := ns.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return // executing it fails
	}
	s := &scope{a: a, ns: ns, vars: map[string]aval{"$": dot}}
	s.list(t.Tree.Root, dot)
}

type scope struct {
	a    *analysis
	ns   *template.Template
	vars map[string]aval
}

func (s *scope) child() *scope {
	vars := make(map[string]aval, len(s.vars))
	for k, v := range s.vars {
		vars[k] = v
	}
	return &scope{a: s.a, ns: s.ns, vars: vars}
}

func (s *scope) list(l *parse.ListNode, dot aval) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		s.node(n, dot)
	}
}

func (s *scope) node(n parse.Node, dot aval) {
	switch n := n.(type) {
	case *parse.ActionNode:
		s.pipe(n.Pipe, dot)
	case *parse.IfNode:
		s.pipe(n.Pipe, dot)
		s.child().list(n.List, dot)
		s.child().list(n.ElseList, dot)
	case *parse.WithNode:
		c := s.child()
		v := c.pipe(n.Pipe, dot)
		c.list(n.List, v)
		s.child().list(n.ElseList, dot)
	case *parse.RangeNode:
		c := s.child()
		v := c.evalPipe(n.Pipe, dot)
		e := elem(v)
		switch len(n.Pipe.Decl) {
		case 1:
			c.vars[n.Pipe.Decl[0].Ident[0]] = e
		case 2:
			c.vars[n.Pipe.Decl[0].Ident[0]] = aval{t: reflect.TypeFor[int]()}
			c.vars[n.Pipe.Decl[1].Ident[0]] = e
		}
		c.list(n.List, e)
		s.child().list(n.ElseList, dot)
	case *parse.TemplateNode:
		v := dot
		if n.Pipe != nil {
			v = s.pipe(n.Pipe, dot)
		} else {
			v = unknown
		}
		s.a.template(s.ns, n.Name, v)
	case *parse.ListNode:
		s.list(n, dot)
	}
}

// pipe evaluates a pipeline and assigns its variables.
func (s *scope) pipe(p *parse.PipeNode, dot aval) aval {
	v := s.evalPipe(p, dot)
	for _, d := range p.Decl {
		name := d.Ident[0]
		if old, ok := s.vars[name]; p.IsAssign && ok && old.sig() != v.sig() {
			v = unknown // a variable given values of two types
		}
		s.vars[name] = v
	}
	return v
}

func (s *scope) evalPipe(p *parse.PipeNode, dot aval) aval {
	if p == nil {
		return dot
	}
	var v aval
	for i, c := range p.Cmds {
		var prev *aval
		if i > 0 {
			prev = &v
		}
		v = s.command(c, dot, prev)
	}
	return v
}

// command evaluates one command; prev is the previous command's value in a pipeline.
func (s *scope) command(c *parse.CommandNode, dot aval, prev *aval) aval {
	if len(c.Args) == 0 {
		return unknown
	}
	args := make([]aval, len(c.Args))
	for i, arg := range c.Args[1:] {
		args[i+1] = s.arg(arg, dot)
	}
	if prev != nil {
		args = append(args, *prev)
	}
	switch first := c.Args[0].(type) {
	case *parse.IdentifierNode:
		return s.call(first.Ident, c.Args[1:], args[1:], dot)
	case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode:
		// a method called with arguments: the arguments were read above
		return s.arg(first, dot)
	default:
		return s.arg(first, dot)
	}
}

// arg evaluates one operand.
func (s *scope) arg(n parse.Node, dot aval) aval {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return s.chain(dot, n.Ident)
	case *parse.VariableNode:
		v, ok := s.vars[n.Ident[0]]
		if !ok {
			v = unknown
		}
		return s.chain(v, n.Ident[1:])
	case *parse.ChainNode:
		var v aval
		switch inner := n.Node.(type) {
		case *parse.PipeNode:
			v = s.evalPipe(inner, dot)
		default:
			v = s.arg(inner, dot)
		}
		return s.chain(v, n.Field)
	case *parse.PipeNode:
		return s.evalPipe(n, dot)
	case *parse.IdentifierNode: // a function without arguments as an operand
		return s.call(n.Ident, nil, nil, dot)
	case *parse.StringNode:
		return aval{t: reflect.TypeFor[string]()}
	case *parse.NumberNode:
		return aval{t: reflect.TypeFor[int]()}
	case *parse.BoolNode:
		return aval{t: reflect.TypeFor[bool]()}
	}
	return unknown
}

func (s *scope) chain(v aval, names []string) aval {
	for _, name := range names {
		s.a.reads |= fieldReads(v, name)
		v = field(v, name)
	}
	return v
}

// call is a function call: nodes are its argument nodes, args their values.
func (s *scope) call(name string, nodes []parse.Node, args []aval, dot aval) aval {
	constant := func(i int) (string, bool) {
		if i < len(nodes) {
			if sn, ok := nodes[i].(*parse.StringNode); ok {
				return sn.Text, true
			}
		}
		return "", false
	}
	switch name {
	case "dict":
		d := map[string]aval{}
		for i := 0; i+1 < len(args); i += 2 {
			k, ok := constant(i)
			if !ok {
				return unknown
			}
			d[k] = args[i+1]
		}
		return aval{dict: d}
	case "partialCached":
		if n, ok := constant(0); ok && len(args) > 1 {
			s.a.template(s.a.partials, n, args[1])
		} else {
			s.a.reads |= ReadsAll
		}
		return aval{t: reflect.TypeFor[template.HTML]()}
	case "index":
		if len(args) == 0 {
			return unknown
		}
		v := args[0]
		if v.dict != nil {
			if k, ok := constant(1); ok && len(args) == 2 {
				return v.dict[k]
			}
			return unknown
		}
		for range args[1:] {
			v = elem(v)
		}
		return v
	case "slice":
		if len(args) > 0 {
			return args[0]
		}
		return unknown
	case "and", "or":
		if len(args) == 0 {
			return unknown
		}
		for _, v := range args[1:] {
			if v.sig() != args[0].sig() {
				return unknown
			}
		}
		return args[0]
	case "not", "eq", "ne", "lt", "le", "gt", "ge":
		return aval{t: reflect.TypeFor[bool]()}
	case "len":
		return aval{t: reflect.TypeFor[int]()}
	case "print", "printf", "println", "html", "js", "urlquery", "T":
		return aval{t: reflect.TypeFor[string]()}
	}
	if t, ok := s.a.funcs[name]; ok {
		r, known := funcReads(name)
		if !known {
			r = ReadsAll // a function nobody classified: assume the worst
		}
		s.a.reads |= r
		return aval{t: concrete(t)}
	}
	return unknown
}

// funcReads is what a template function itself reads of the site's structure, beyond
// its arguments, and whether the function is classified at all. The analysis cannot
// see into Go code, so every function of Renderer.funcs and the theme's T is listed
// here (TestEveryTemplateFuncDeclaresItsReads); one that is not counts as reading all.
func funcReads(name string) (Reads, bool) {
	switch name {
	case "menu", "menustate": // the library's link is added when the menu lacks it (menu.go)
		return ReadsLibrary, true
	case "date", "datetime", "shortdate", "iso", "abs", "asset", "integrity", "jsonld", "add",
		"urlquery", "slug", "year", "dict", "itoa", "partialCached", "tel", "intl",
		"facetlists", "filtername", "isURL", "T":
		// Their arguments, the configuration, the theme's files and strings only
		// (jsonld: the page and the organisation; partialCached: analysed on its own).
		return 0, true
	}
	return 0, false
}

// analyseLayouts works out the reads of every layout of the theme.
func (t *Theme) analyseLayouts(funcs template.FuncMap) {
	t.reads = make(map[string]Reads, len(t.layouts))
	names := make([]string, 0, len(t.layouts))
	for n := range t.layouts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.reads[n] = t.layoutReads(n, t.layouts[n], funcs)
	}
}
