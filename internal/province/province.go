// Package province is the registry of Vietnam's provincial-level units: the
// 63 provinces and centrally-run cities that existed before 1 July 2025, the
// 34 that exist after Resolution 202/2025/QH15, which unit merged into which,
// renames (Thừa Thiên Huế → Huế) and the spellings that must resolve to each.
//
// A [Registry] is immutable once built and safe for concurrent use. Use
// [Default] for the built-in table and [Registry.With] to apply the site's
// own additions from config.toml.
package province

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Kind is the administrative kind of a unit, in Vietnamese.
type Kind string

// The two provincial-level kinds.
const (
	KindProvince Kind = "tỉnh"
	KindCity     Kind = "thành phố" // thành phố trực thuộc trung ương
)

// Rename records that a unit was known under another name until a date.
type Rename struct {
	From string    // former name, e.g. "Thừa Thiên Huế"
	On   time.Time // the day the new name took effect
}

// Province is one provincial-level unit, past or present.
type Province struct {
	// Name is the canonical display name without prefix, NFC, in the spelling
	// of provinces-2025.md: "Hà Tĩnh", "Hồ Chí Minh", "Huế", "Hòa Bình".
	Name string
	// Slug is vietnamese.Slug(Name): "ha-tinh", "ho-chi-minh".
	Slug string
	// Kind is "tỉnh" or "thành phố".
	Kind Kind
	// Region is one of the six socio-economic regions (see [Registry.Regions]);
	// for the built-in table, the region of the unit bearing this name before
	// the 2025 reform.
	Region string
	// Aliases are other spellings that resolve to this unit in Lookup and
	// FindIn: "Thừa Thiên Huế", "TP.HCM", "Sài Gòn".
	Aliases []string
	// MergedInto is the Name of the unit this one merged into; "" if it still
	// exists (Phú Thọ, which absorbed Vĩnh Phúc and Hòa Bình, still exists).
	MergedInto string
	// MergedOn is when the merge took effect; zero when MergedInto is "".
	MergedOn time.Time
	// Predecessors are the other units merged into this one, in Vietnamese
	// alphabetical order: Phú Thọ → ["Hòa Bình", "Vĩnh Phúc"]. New derives
	// it from the MergedInto of the other entries.
	Predecessors []string
	// Renamed lists former names: Huế ← "Thừa Thiên Huế" on 2025-01-01.
	// Former names resolve in Lookup and FindIn like aliases.
	Renamed []Rename
	// Current reports whether the unit exists after 1 July 2025; it must equal
	// MergedInto == "".
	Current bool
}

// clone returns p with its slices copied, so callers can never modify a
// registry's entries.
func (p Province) clone() Province {
	p.Aliases = slices.Clone(p.Aliases)
	p.Predecessors = slices.Clone(p.Predecessors)
	p.Renamed = slices.Clone(p.Renamed)
	return p
}

// Registry is a validated, immutable set of provinces. All methods are safe
// for concurrent use.
type Registry struct {
	entries  []Province        // Vietnamese alphabetical order by Name
	byKey    map[string]int    // lookupKey of names, aliases, former names
	bySlug   map[string]int    // Slug
	byFold   map[string]int    // FoldLower(lookupKey(spelling)); -1 if ambiguous
	suggest  []string          // candidates for suggest.Closest (lowercased names)
	candName map[string]string // candidate → canonical Name
	patterns map[string][]pattern
}

// defaultRegistry builds the built-in registry once.
var defaultRegistry = sync.OnceValue(func() *Registry {
	r, err := New(defaultProvinces())
	if err != nil {
		panic("province: built-in table is invalid: " + err.Error())
	}
	return r
})

// Default returns the built-in registry: all 63 pre-reform units (one entry
// per distinct name, so Huế carries "Thừa Thiên Huế" as alias and rename), of
// which 34 have Current set. The same immutable value is returned each time.
func Default() *Registry { return defaultRegistry() }

// New validates ps and builds a registry from it. Names, aliases and former
// names are normalised to NFC; an empty Slug is filled in. It reports every
// problem found, not just the first:
//   - Name, Kind and Region missing or invalid;
//   - Slug not equal to vietnamese.Slug(Name);
//   - two entries sharing a name, slug, alias or former name (spellings that
//     differ only in case, NFC/NFD, tone placement, dashes, spacing or a
//     "tỉnh"/"thành phố"/"TP." prefix count as the same);
//   - MergedInto or Predecessors naming an unknown unit, MergedOn missing,
//     merge cycles, or Current disagreeing with MergedInto.
//
// MergedInto and Predecessors may use any spelling that resolves; they are
// stored as canonical names. Predecessors is recomputed from MergedInto.
func New(ps []Province) (*Registry, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, message.Errorf(format, args...)) }

	entries := make([]Province, len(ps))
	regions := regionOrder()
	for i, p := range ps {
		p = p.clone()
		p.Name = vietnamese.NFC(strings.TrimSpace(p.Name))
		p.Kind = Kind(vietnamese.NFC(strings.TrimSpace(string(p.Kind))))
		p.Region = vietnamese.NFC(strings.TrimSpace(p.Region))
		p.MergedInto = vietnamese.NFC(strings.TrimSpace(p.MergedInto))
		for j := range p.Aliases {
			p.Aliases[j] = vietnamese.NFC(strings.TrimSpace(p.Aliases[j]))
		}
		for j := range p.Predecessors {
			p.Predecessors[j] = vietnamese.NFC(strings.TrimSpace(p.Predecessors[j]))
		}
		for j := range p.Renamed {
			p.Renamed[j].From = vietnamese.NFC(strings.TrimSpace(p.Renamed[j].From))
		}
		label := p.Name
		if label == "" {
			label = fmt.Sprintf("#%d", i+1)
			fail("tỉnh %s: chưa có tên (name); đặt tên cho mọi tỉnh, ví dụ \"Hà Tĩnh\"", label)
		} else if lookupKey(p.Name) == "" {
			fail("tỉnh %q: tên không có chữ nào; đặt tên thật, ví dụ \"Hà Tĩnh\"", label)
		}
		if want := vietnamese.Slug(p.Name); p.Slug == "" {
			p.Slug = want
		} else if p.Slug != want {
			fail("tỉnh %q: slug %q không khớp với tên; dùng %q hoặc bỏ trống slug", label, p.Slug, want)
		}
		if p.Kind != KindProvince && p.Kind != KindCity {
			fail("tỉnh %q: kind %q không hợp lệ; dùng %q hoặc %q", label, p.Kind, KindProvince, KindCity)
		}
		if !slices.Contains(regions, p.Region) {
			fail("tỉnh %q: region %q không phải một trong sáu vùng; dùng một trong: %s", label, p.Region, strings.Join(regions, "; "))
		}
		for _, a := range p.Aliases {
			if lookupKey(a) == "" {
				fail("tỉnh %q: tên khác (alias) %q để trống; xoá nó đi", label, a)
			}
		}
		for _, rn := range p.Renamed {
			if lookupKey(rn.From) == "" {
				fail("tỉnh %q: một lần đổi tên chưa ghi tên cũ; điền From hoặc xoá mục đó", label)
			}
			if rn.On.IsZero() {
				fail("tỉnh %q: lần đổi tên từ %q chưa có ngày; ghi ngày tên mới có hiệu lực", label, rn.From)
			}
		}
		if p.MergedInto != "" && p.MergedOn.IsZero() {
			fail("tỉnh %q: đã sáp nhập vào %q nhưng thiếu MergedOn; ghi ngày sáp nhập", label, p.MergedInto)
		}
		if p.MergedInto == "" && !p.MergedOn.IsZero() {
			fail("tỉnh %q: có MergedOn nhưng MergedInto để trống; ghi tên đơn vị nó sáp nhập vào, hoặc xoá ngày", label)
		}
		if p.Current != (p.MergedInto == "") {
			if p.Current {
				fail("tỉnh %q: được đánh dấu hiện hành (current) nhưng đã sáp nhập vào %q; đơn vị đã sáp nhập không còn hiện hành", label, p.MergedInto)
			} else {
				fail("tỉnh %q: không đánh dấu hiện hành (current) mà cũng không sáp nhập vào đâu; đặt current hoặc ghi đơn vị nó sáp nhập vào", label)
			}
		}
		entries[i] = p
	}

	// Unique names, slugs, aliases and former names.
	byKey := make(map[string]int)
	bySlug := make(map[string]int)
	claim := func(i int, spelling, what string) {
		k := lookupKey(spelling)
		if k == "" {
			return
		}
		if j, ok := byKey[k]; ok && j != i {
			fail("tỉnh %q: %s %q đã được tỉnh %q dùng (làm tên, tên khác hoặc tên cũ); bỏ một trong hai", entries[i].Name, what, spelling, entries[j].Name)
			return
		}
		byKey[k] = i
	}
	for i, p := range entries {
		if p.Name == "" {
			continue
		}
		claim(i, p.Name, "name")
		if j, ok := bySlug[p.Slug]; ok && p.Slug != "" {
			fail("tỉnh %q: slug %q đã được %q dùng; đổi một trong hai", p.Name, p.Slug, entries[j].Name)
		} else {
			bySlug[p.Slug] = i
		}
	}
	for i, p := range entries {
		for _, a := range p.Aliases {
			claim(i, a, "alias")
		}
		for _, rn := range p.Renamed {
			claim(i, rn.From, "former name")
		}
	}

	// Merges: resolve references, derive predecessors, reject cycles.
	preds := make([][]string, len(entries))
	for i := range entries {
		p := &entries[i]
		if p.MergedInto == "" {
			continue
		}
		j, ok := byKey[lookupKey(p.MergedInto)]
		switch {
		case !ok:
			fail("tỉnh %q: sáp nhập vào %q, nhưng không có tỉnh nào tên như vậy; khai báo thêm hoặc sửa chính tả", p.Name, p.MergedInto)
		case j == i:
			fail("tỉnh %q: sáp nhập vào chính nó; để trống MergedInto cho đơn vị vẫn còn", p.Name)
		default:
			p.MergedInto = entries[j].Name
			preds[j] = append(preds[j], p.Name)
		}
	}
	for i := range entries {
		p := &entries[i]
		for _, name := range p.Predecessors {
			j, ok := byKey[lookupKey(name)]
			if !ok {
				fail("tỉnh %q: đơn vị tiền thân %q không có trong danh sách; khai báo thêm hoặc sửa chính tả", p.Name, name)
			} else if !slices.Contains(preds[i], entries[j].Name) {
				fail("tỉnh %q: đơn vị tiền thân %q không ghi là đã sáp nhập vào %q; đặt MergedInto của nó", p.Name, name, p.Name)
			}
		}
		p.Predecessors = preds[i]
		vietnamese.SortStrings(p.Predecessors)
	}
	for i := range entries {
		seen := map[int]bool{i: true}
		for j := i; entries[j].MergedInto != ""; {
			next, ok := byKey[lookupKey(entries[j].MergedInto)]
			if !ok || next == j {
				break
			}
			if seen[next] {
				fail("tỉnh %q: các lần sáp nhập tạo thành vòng tròn; kiểm tra MergedInto của các đơn vị liên quan", entries[i].Name)
				break
			}
			seen[next] = true
			j = next
		}
	}

	if len(errs) > 0 {
		return nil, message.Errorf("danh sách tỉnh không hợp lệ:\n%w", errors.Join(errs...))
	}

	// Vietnamese alphabetical order (deterministic: ties fall back to bytes).
	vietnamese.SortFunc(entries, func(p Province) string { return p.Name })
	return build(entries), nil
}

// build indexes already-validated, sorted entries.
func build(entries []Province) *Registry {
	r := &Registry{
		entries:  entries,
		byKey:    make(map[string]int),
		bySlug:   make(map[string]int),
		byFold:   make(map[string]int),
		candName: make(map[string]string),
	}
	addCand := func(spelling, name string) {
		c := strings.ToLower(cleanName(spelling))
		if _, ok := r.candName[c]; !ok && c != "" {
			r.candName[c] = name
			r.suggest = append(r.suggest, c)
		}
	}
	for i, p := range entries {
		r.bySlug[p.Slug] = i
		for _, s := range p.spellings() {
			r.byKey[lookupKey(s)] = i
		}
		for _, s := range p.spellings() {
			f := vietnamese.FoldLower(lookupKey(s))
			if j, ok := r.byFold[f]; ok && j != i {
				r.byFold[f] = -1
			} else {
				r.byFold[f] = i
			}
		}
		addCand(stripPrefix(strings.ToLower(cleanName(p.Name))), p.Name)
	}
	for _, p := range entries {
		for _, s := range p.spellings()[1:] {
			addCand(stripPrefix(strings.ToLower(cleanName(s))), p.Name)
		}
	}
	r.patterns = buildPatterns(entries)
	return r
}

// spellings returns Name, then the aliases, then the former names.
func (p Province) spellings() []string {
	out := []string{p.Name}
	out = append(out, p.Aliases...)
	for _, rn := range p.Renamed {
		out = append(out, rn.From)
	}
	return out
}

// With returns a new registry with overrides applied; r is unchanged.
// An override whose vietnamese.Slug(Name) equals an existing entry's Slug
// modifies that entry: non-empty strings and non-zero times replace the old
// values, Renamed and Predecessors replace the old lists when non-empty,
// Aliases are added to the existing ones, and when the Name's spelling
// changes the old Name is kept as an alias. Any other override is added as a
// new entry. Current is always recomputed as MergedInto == "". The result is
// validated as by [New].
func (r *Registry) With(overrides []Province) (*Registry, error) {
	entries := make([]Province, len(r.entries))
	slugIdx := make(map[string]int, len(r.entries))
	for i, p := range r.entries {
		entries[i] = p.clone()
		slugIdx[p.Slug] = i
	}
	for _, o := range overrides {
		o = o.clone()
		o.Name = vietnamese.NFC(strings.TrimSpace(o.Name))
		slug := vietnamese.Slug(o.Name)
		i, ok := slugIdx[slug]
		if o.Name == "" || !ok {
			o.Current = o.MergedInto == ""
			entries = append(entries, o)
			if o.Name != "" {
				slugIdx[slug] = len(entries) - 1 // later overrides modify it
			}
			continue
		}
		e := &entries[i]
		if o.Name != e.Name {
			e.Aliases = append(e.Aliases, e.Name)
			e.Name = o.Name
		}
		if o.Slug != "" {
			e.Slug = o.Slug
		}
		if o.Kind != "" {
			e.Kind = o.Kind
		}
		if o.Region != "" {
			e.Region = o.Region
		}
		e.Aliases = append(e.Aliases, o.Aliases...)
		if o.MergedInto != "" {
			e.MergedInto = o.MergedInto
		}
		if !o.MergedOn.IsZero() {
			e.MergedOn = o.MergedOn
		}
		if len(o.Predecessors) > 0 {
			e.Predecessors = o.Predecessors
		}
		if len(o.Renamed) > 0 {
			e.Renamed = o.Renamed
		}
		e.Current = e.MergedInto == ""
	}
	return New(entries)
}

// Lookup finds a unit by name, alias or former name. Spellings that differ
// only in NFC/NFD, case, tone placement ("Hoà"/"Hòa", "Thuỷ"/"Thủy"), dashes
// ("Bà Rịa - Vũng Tàu"), spacing or a "tỉnh"/"thành phố"/"TP."/"TP" prefix are
// the same name. Missing diacritics are not forgiven ("Ha Tinh" is not found)
// unless the spelling is a listed alias; use [Registry.Suggest] for that.
// Merged units are found too: check Current and MergedInto.
func (r *Registry) Lookup(name string) (Province, bool) {
	i, ok := r.byKey[lookupKey(name)]
	if !ok {
		return Province{}, false
	}
	return r.entries[i].clone(), true
}

// BySlug finds a unit by its slug ("ha-tinh"); case and surrounding spaces
// are ignored.
func (r *Registry) BySlug(slug string) (Province, bool) {
	i, ok := r.bySlug[strings.ToLower(strings.TrimSpace(slug))]
	if !ok {
		return Province{}, false
	}
	return r.entries[i].clone(), true
}

// Successor returns the unit that the named one is part of today: itself if
// it is current, otherwise the end of its MergedInto chain ("Vĩnh Phúc" →
// Phú Thọ, "Thừa Thiên Huế" → Huế).
func (r *Registry) Successor(name string) (Province, bool) {
	i, ok := r.byKey[lookupKey(name)]
	if !ok {
		return Province{}, false
	}
	for range len(r.entries) { // New rejects cycles; the bound is a safeguard
		next, ok := r.byKey[lookupKey(r.entries[i].MergedInto)]
		if r.entries[i].MergedInto == "" || !ok {
			break
		}
		i = next
	}
	return r.entries[i].clone(), true
}

// Suggest returns the canonical name closest to an unknown one, for "did you
// mean" messages: "Lâm Đông" → "Lâm Đồng", "Ha Tinh" → "Hà Tĩnh",
// "TP Ho Chi Minh" → "Hồ Chí Minh". A name that Lookup finds returns its
// canonical name. It reports false when nothing is close enough.
func (r *Registry) Suggest(name string) (string, bool) {
	if p, ok := r.Lookup(name); ok {
		return p.Name, true
	}
	k := lookupKey(name)
	if k == "" {
		return "", false
	}
	folded := vietnamese.FoldLower(k)
	for _, f := range []string{folded, stripPrefix(folded)} { // "tinh Ha Tinh"
		if i, ok := r.byFold[f]; ok && i >= 0 {
			return r.entries[i].Name, true
		}
	}
	c, ok := suggest.Closest(k, r.suggest)
	if !ok {
		return "", false
	}
	n, ok := r.candName[c]
	return n, ok
}

// All returns every unit, past and present, in Vietnamese alphabetical order
// by Name. The slice is a fresh copy.
func (r *Registry) All() []Province {
	out := make([]Province, len(r.entries))
	for i, p := range r.entries {
		out[i] = p.clone()
	}
	return out
}

// Current returns the units that exist after 1 July 2025 (34 in the built-in
// table), in Vietnamese alphabetical order by Name.
func (r *Registry) Current() []Province {
	var out []Province
	for _, p := range r.entries {
		if p.Current {
			out = append(out, p.clone())
		}
	}
	return out
}

// Regions returns the six socio-economic regions in fixed north→south order.
func (r *Registry) Regions() []string { return regionOrder() }
