package search

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Query expansion.
//
// Citizens and the administrative press write the same thing two ways:
// "UBND" and "Ủy ban nhân dân", "Phú Thọ" and (before 1 July 2025) "Vĩnh
// Phúc". A Thesaurus holds both kinds of knowledge, and a search expands
// the query with it at query time (the index is unchanged): a run of query
// words that spells one member of a synonym set, or a province that
// absorbed others, becomes a required choice between what was typed and
// the other spellings (see buildTextQuery). The other spellings weigh
// altFactor of what was typed, so an article with the typed form ranks
// first.

// altFactor is the weight of an expanded spelling relative to the typed one.
const altFactor = 0.4

// maxSynonymSets bounds the sets a site may add in config.toml.
const maxSynonymSets = 2000

// Thesaurus is what a search knows beyond the index: synonym sets (the
// built-in abbreviations of public administration plus a site's own) and
// the province registry, for merged provinces. It is immutable and safe for
// concurrent use.
type Thesaurus struct {
	sets     []synSet
	provs    []province.Province
	slugOf   map[string]int        // province slug → provs index
	provForm []form                // provs[i].Name analyzed
	byFirst  map[string][]spelling // first folded token → spellings, longest first
}

// synSet is one set of equivalent spellings.
type synSet struct{ forms []form }

// form is one spelling analyzed: its parts (separated by "…" in the
// spelling) as folded tokens.
type form struct {
	text  string
	parts [][]string
}

// tokens returns the folded tokens of all parts.
func (f form) tokens() []string {
	var out []string
	for _, p := range f.parts {
		out = append(out, p...)
	}
	return out
}

// spelling is a form as matched in a query: a synonym set's member or a
// province's name, alias or former name.
type spelling struct {
	tokens []string
	set    int // index in sets, or -1
	prov   int // index in provs, or -1
}

// DefaultThesaurus returns the built-in synonyms and the built-in province
// registry. The same immutable value is returned each time.
func DefaultThesaurus() *Thesaurus { return defaultThesaurus() }

var defaultThesaurus = sync.OnceValue(func() *Thesaurus {
	t, err := NewThesaurus(nil, province.Default())
	if err != nil {
		panic("search: built-in synonyms are invalid: " + err.Error())
	}
	return t
})

// NewThesaurus returns the built-in synonym sets plus extra (each a set of
// two or more equivalent spellings, "…" standing for any words in
// between), and the provinces of reg (nil: none). A spelling without any
// word, or a set with fewer than two spellings, is an error.
func NewThesaurus(extra [][]string, reg *province.Registry) (*Thesaurus, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	t := &Thesaurus{byFirst: map[string][]spelling{}, slugOf: map[string]int{}}
	if len(extra) > maxSynonymSets {
		return nil, fmt.Errorf("có %d nhóm từ đồng nghĩa, tối đa %d", len(extra), maxSynonymSets)
	}
	for i, set := range append(builtinSynonyms(), extra...) {
		if len(set) < 2 {
			return nil, fmt.Errorf("nhóm từ đồng nghĩa %q cần ít nhất hai cách viết", set)
		}
		var s synSet
		for _, text := range set {
			f, ok := analyzeForm(m, text)
			if !ok {
				return nil, fmt.Errorf("cách viết %q trong nhóm %q không có chữ nào để tìm", text, set)
			}
			s.forms = append(s.forms, f)
			t.add(spelling{tokens: f.tokens(), set: i, prov: -1})
		}
		t.sets = append(t.sets, s)
	}
	if reg != nil {
		for _, p := range reg.All() {
			i := len(t.provs)
			t.provs = append(t.provs, p)
			t.slugOf[p.Slug] = i
			f, _ := analyzeForm(m, p.Name)
			t.provForm = append(t.provForm, f)
			names := append([]string{p.Name}, p.Aliases...)
			for _, r := range p.Renamed {
				names = append(names, r.From)
			}
			for _, n := range names {
				if f, ok := analyzeForm(m, n); ok {
					t.add(spelling{tokens: f.tokens(), set: -1, prov: i})
				}
			}
		}
	}
	for k, ss := range t.byFirst {
		sort.SliceStable(ss, func(a, b int) bool { return len(ss[a].tokens) > len(ss[b].tokens) })
		t.byFirst[k] = ss
	}
	return t, nil
}

func (t *Thesaurus) add(s spelling) {
	t.byFirst[s.tokens[0]] = append(t.byFirst[s.tokens[0]], s)
}

// analyzeForm analyzes a spelling with the index's folded analyzer.
func analyzeForm(m mapping.IndexMapping, text string) (form, bool) {
	an := m.AnalyzerNamed(AnalyzerFolded)
	f := form{text: vietnamese.NFC(strings.TrimSpace(text))}
	for _, part := range strings.Split(f.text, "…") {
		var toks []string
		for _, tk := range an.Analyze([]byte(part)) {
			toks = append(toks, string(tk.Term))
		}
		if len(toks) > 0 {
			f.parts = append(f.parts, toks)
		}
	}
	return f, len(f.parts) > 0
}

// expansion is a run of query groups [from, to) that spells a synonym set's
// member or a province's name, with what else to search for it.
type expansion struct {
	from, to int
	text     string // the words as typed
	alts     []form // other spellings of the set
	// provinces whose articles (by their province filter term) and names
	// also count: the predecessors of a current province named.
	included      []province.Province
	includedForms map[string]form // slug → the included province's name analyzed
	// named is the province named, when it is one (current or merged).
	named *province.Province
}

// expand finds the expansions of the query groups: at each group, the
// longest spelling that covers whole groups. A document number (a compound
// group) is matched only whole, so "64/2007/NĐ-CP" stays as typed.
func (t *Thesaurus) expand(q string, groups []group) []expansion {
	var out []expansion
	for gi := 0; gi < len(groups); {
		bestTo := -1
		for _, s := range t.byFirst[groups[gi][0].folded] {
			if to, ok := spans(groups, gi, s.tokens); ok && to > bestTo {
				bestTo = to
			}
		}
		if bestTo < 0 {
			gi++
			continue
		}
		e := expansion{from: gi, to: bestTo, text: q[groups[gi][0].start:groups[bestTo-1][len(groups[bestTo-1])-1].end]}
		// Every set and province spelled by these words (one spelling may be
		// in several: "TP.HCM" is a synonym and a province alias).
		for _, s := range t.byFirst[groups[gi][0].folded] {
			if to, ok := spans(groups, gi, s.tokens); !ok || to != bestTo {
				continue
			}
			if s.set >= 0 {
				for _, f := range t.sets[s.set].forms {
					if !equalTokens(f.tokens(), s.tokens) {
						e.alts = append(e.alts, f)
					}
				}
			}
			if s.prov >= 0 && e.named == nil {
				p := t.provs[s.prov]
				e.named = &p
			}
		}
		// A set naming a province ("Thành phố Hồ Chí Minh") names it too.
		for _, f := range e.alts {
			if e.named != nil {
				break
			}
			for _, s := range t.byFirst[f.tokens()[0]] {
				if s.prov >= 0 && equalTokens(s.tokens, f.tokens()) {
					p := t.provs[s.prov]
					e.named = &p
					break
				}
			}
		}
		if e.named != nil {
			e.included = t.predecessors(e.named.Slug)
			e.includedForms = map[string]form{}
			for _, p := range e.included {
				e.includedForms[p.Slug] = t.provForm[t.slugOf[p.Slug]]
			}
		}
		out = append(out, e)
		gi = bestTo
	}
	return out
}

// byName returns the province with canonical name n.
func (t *Thesaurus) byName(n string) (province.Province, bool) {
	for _, p := range t.provs {
		if p.Name == n {
			return p, true
		}
	}
	return province.Province{}, false
}

// bySlug returns the province with slug s.
func (t *Thesaurus) bySlug(s string) (province.Province, bool) {
	i, ok := t.slugOf[s]
	if !ok {
		return province.Province{}, false
	}
	return t.provs[i], true
}

// predecessors returns the provinces merged into the one with slug s.
func (t *Thesaurus) predecessors(s string) []province.Province {
	p, ok := t.bySlug(s)
	if !ok || !p.Current {
		return nil
	}
	var out []province.Province
	for _, n := range p.Predecessors {
		if q, ok := t.byName(n); ok {
			out = append(out, q)
		}
	}
	return out
}

// spans reports whether the folded words of groups from gi on are exactly
// toks, ending at the end of a group (returned, exclusive).
func spans(groups []group, gi int, toks []string) (int, bool) {
	k := 0
	for g := gi; g < len(groups); g++ {
		for _, w := range groups[g] {
			if k >= len(toks) || w.folded != toks[k] {
				return 0, false
			}
			k++
		}
		if k == len(toks) {
			return g + 1, true
		}
	}
	return 0, false
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Merge describes a province a search named that took part in the 2025
// merger: a current province whose predecessors' articles were included,
// or a merged-away one and what it became.
type Merge struct {
	Province Term   // the province named (in the query or a filter)
	Included []Term // its predecessors, searched too; empty for a merged-away province
	Became   *Term  // for a merged-away province: the one it is part of today
	On       time.Time
}

// Expanded is a run of query words that was also searched as other
// spellings ("ủy ban nhân dân" → "UBND").
type Expanded struct {
	Words string
	Also  []string
}

func provTerm(p province.Province) Term { return Term{Name: p.Name, Slug: p.Slug} }

// mergeOf returns the Merge note for province p, if it took part in one.
func (t *Thesaurus) mergeOf(p province.Province) (Merge, bool) {
	switch {
	case p.Current && len(p.Predecessors) > 0:
		m := Merge{Province: provTerm(p)}
		for _, q := range t.predecessors(p.Slug) {
			m.Included = append(m.Included, provTerm(q))
			m.On = q.MergedOn
		}
		return m, true
	case !p.Current:
		m := Merge{Province: provTerm(p), On: p.MergedOn}
		for i := 0; i < len(t.provs) && m.Became == nil; i++ {
			if next, ok := t.byName(p.MergedInto); ok {
				if next.Current {
					b := provTerm(next)
					m.Became = &b
					break
				}
				p = next
			}
		}
		return m, m.Became != nil
	}
	return Merge{}, false
}

// queryNotes say what a search did beyond the words typed.
type queryNotes struct {
	merges   []Merge
	expanded []Expanded
	// known: every word of the query is in an expansion (a synonym set or a province's
	// name): words the thesaurus recognises are no slip, so there is no "did you mean".
	known bool
}

// notesFor returns the notes of req's expansions (over its groups query groups) and
// province filters.
func notesFor(req Request, exps []expansion, groups int) queryNotes {
	var n queryNotes
	covered := 0
	for _, e := range exps {
		covered += e.to - e.from
	}
	n.known = groups > 0 && covered == groups
	seen := map[string]bool{}
	addMerge := func(p province.Province) {
		if seen[p.Slug] || req.Thesaurus == nil {
			return
		}
		seen[p.Slug] = true
		if m, ok := req.Thesaurus.mergeOf(p); ok {
			n.merges = append(n.merges, m)
		}
	}
	for _, e := range exps {
		if e.named != nil {
			addMerge(*e.named)
		}
		if len(e.alts) > 0 {
			x := Expanded{Words: e.text}
			for _, f := range e.alts {
				x.Also = append(x.Also, f.text)
			}
			n.expanded = append(n.expanded, x)
		}
	}
	for _, s := range req.Provinces {
		if req.Thesaurus == nil {
			break
		}
		if p, ok := req.Thesaurus.bySlug(s); ok {
			addMerge(p)
		}
	}
	return n
}
