package site

import (
	"cmp"
	"fmt"
	"html"
	"net/url"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Input is everything Assemble needs.
type Input struct {
	Config   config.Config
	Registry *province.Registry
	// Sources are the published documents (articles and standalone pages), rendered.
	Sources []Source
	// SectionIndexes are the sections' _index.md documents.
	SectionIndexes []*content.Document
	// Weeks are the leaders' weekly schedules, sorted by week (schedule.Load).
	Weeks []*schedule.Week
	// Now is the build's clock: it picks the current week, and decides the status of
	// legal documents (zero: their dates are not compared with a clock).
	Now time.Time
}

// Graph is the assembled site: read-only data for rendering and indexing.
type Graph struct {
	Config     config.Config
	Articles   []*Article // news articles, newest first
	Standalone []*Article
	// Documents are the legal documents (content/van-ban/), newest issued first; Library
	// groups them.
	Documents  []*Article
	Library    *Library
	Sections   []*Section
	Taxonomies []*Taxonomy
	Years      []*Year
	Pages      []*Page
	// assembled is the input, for Refresh.
	assembled *assembled
}

// Contents are the articles, standalone pages and legal documents: every content file
// with a page of its own.
func (g *Graph) Contents() []*Article {
	return slices.Concat(g.Articles, g.Standalone, g.Documents)
}

// Taxonomy returns the taxonomy with a front matter key.
func (g *Graph) Taxonomy(key string) *Taxonomy {
	for _, t := range g.Taxonomies {
		if t.Key == key {
			return t
		}
	}
	return nil
}

// Assemble builds the graph. Problems (unknown provinces, output collisions, paths that
// would leave the output folder) are reported in the returned list; colliding or invalid
// pages are left out.
func Assemble(in Input) (*Graph, *diag.List) {
	a := &assembler{in: in, ds: &diag.List{}, g: &Graph{Config: in.Config}, terms: map[string]map[string]*Term{}, seen: map[[2]string]*Term{}, slugs: map[string]string{}}
	a.articles()
	a.library()
	a.sections()
	a.taxonomies()
	a.years()
	a.related()
	a.pages()
	a.checkCollisions()
	a.g.assembled = &assembled{registry: in.Registry, sections: slices.Clone(in.SectionIndexes),
		sources: make([]*content.Document, len(in.Sources)), byPath: map[string]*Article{}, schedule: scheduleKey(in)}
	for i, s := range in.Sources {
		a.g.assembled.sources[i] = s.Doc
	}
	for _, art := range a.g.Contents() {
		a.g.assembled.byPath[art.Path] = art
	}
	return a.g, a.ds
}

type assembler struct {
	in    Input
	ds    *diag.List
	g     *Graph
	terms map[string]map[string]*Term // taxonomy key → slug → term
	seen  map[[2]string]*Term         // taxonomy key and raw front matter value → term
	slugs map[string]string
}

// slug memoizes vietnamese.Slug for values shared by many articles (section names).
func (a *assembler) slug(s string) string {
	if v, ok := a.slugs[s]; ok {
		return v
	}
	v := vietnamese.Slug(s)
	a.slugs[s] = v
	return v
}

func (a *assembler) base() string { return strings.TrimSuffix(a.in.Config.BaseURL, "/") }

func (a *assembler) permalink(u string) string {
	return a.base() + u
}

// newestFirst orders articles by date, newest first, then by path for determinism.
func newestFirst(x, y *Article) int {
	return cmp.Or(y.Date.Compare(x.Date), cmp.Compare(x.Path, y.Path))
}

func (a *assembler) articles() {
	for _, s := range a.in.Sources {
		d := s.Doc
		art := &Article{Standalone: d.Kind == content.Standalone}
		art.setContent(s)
		u, err := a.articleURL(d)
		if err != nil {
			a.ds.Errorf(d.Path, d.Line(fieldOf(d)), 1, "url", "%v", err)
			continue
		}
		// One string: the URL is the end of the permalink.
		art.Permalink = a.permalink(u)
		art.URL = art.Permalink[len(art.Permalink)-len(u):]
		if d.Legal != nil {
			art.DocInfo = &DocumentInfo{Attachments: slices.Clone(s.Attachments)}
			a.g.Documents = append(a.g.Documents, art)
		} else if art.Standalone {
			a.g.Standalone = append(a.g.Standalone, art)
		} else {
			a.g.Articles = append(a.g.Articles, art)
		}
	}
	slices.SortFunc(a.g.Articles, newestFirst)
	slices.SortFunc(a.g.Standalone, func(x, y *Article) int { return cmp.Compare(x.URL, y.URL) })
}

// permalinkTokens are the placeholders of a permalink pattern, in the order they are tried.
var permalinkTokens = [...]string{"section", "slug", "title", "filename", "year", "month", "day"}

// expandPermalink replaces each ":token" of pattern with value(token), computing only the
// tokens the pattern uses (a slug costs microseconds, and there is one URL per article).
func expandPermalink(pattern string, value func(token string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(pattern, ':')
		if i < 0 {
			b.WriteString(pattern)
			return b.String()
		}
		b.WriteString(pattern[:i])
		pattern = pattern[i+1:]
		matched := false
		for _, tok := range permalinkTokens {
			if strings.HasPrefix(pattern, tok) {
				b.WriteString(value(tok))
				pattern = pattern[len(tok):]
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte(':')
		}
	}
}

func fieldOf(d *content.Document) string {
	if d.URL != "" {
		return "url"
	}
	return "slug"
}

// plainPath reports whether u is "/" followed by slash-terminated segments of lower-case
// ASCII letters, digits and hyphens, with no empty segment: the form CleanURLPath returns.
func plainPath(u string) bool {
	if len(u) < 2 || u[0] != '/' || u[len(u)-1] != '/' || strings.Contains(u, "//") {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}

// CleanURLPath checks a URL path from front matter (url, aliases) and returns it with a
// leading slash. Values that would leave the output folder are errors.
func CleanURLPath(p string) (string, error) {
	raw := p
	if strings.ContainsAny(p, "\\\x00") {
		return "", message.Errorf("%q có dấu \\ hoặc ký tự NUL: dùng dấu gạch chéo /, ví dụ /tin-tuc/bai-viet/", raw)
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(p, "//") {
		return "", message.Errorf("%q phải là đường dẫn trong trang như /tin-tuc/bai-viet/, không phải địa chỉ đầy đủ", raw)
	}
	if unesc, err := url.PathUnescape(p); err == nil {
		p = unesc
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return "", message.Errorf("%q có đoạn %q: không được ghi trang ra ngoài thư mục đầu ra", raw, seg)
		}
	}
	if strings.ContainsAny(p, "\\\x00?#") {
		return "", message.Errorf("%q phải là đường dẫn đơn giản, không có dấu ? hay #", raw)
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if path.Ext(clean) == "" && !strings.HasSuffix(clean, "/") {
		clean += "/"
	}
	return clean, nil
}

func (a *assembler) articleURL(d *content.Document) (string, error) {
	if d.Legal != nil {
		if d.Legal.Key == "" {
			return "", message.Errorf("văn bản chưa có số ký hiệu nên không có đường dẫn: thêm dòng 'number:'")
		}
		return LibraryURL + d.Legal.Key + "/", nil
	}
	if d.URL != "" {
		u, err := CleanURLPath(d.URL)
		if err != nil {
			return "", message.Errorf("url %v", err)
		}
		return u, nil
	}
	slug := d.Slug
	if slug != "" {
		if strings.ContainsAny(slug, "/\\") || slug == ".." || slug == "." {
			return "", message.Errorf("slug %q phải là một tên, không có / hay \\ (ví dụ %q)", slug, vietnamese.Slug(slug))
		}
		slug = vietnamese.Slug(slug)
	} else {
		slug = vietnamese.Slug(d.Name)
	}
	if slug == "" {
		slug = vietnamese.Slug(d.Title)
	}
	if slug == "" {
		return "", message.Errorf("không đặt được đường dẫn cho bài: tên tệp %q và tiêu đề không có chữ hay số nào; thêm một dòng 'slug:' vào phần đầu", d.Name)
	}
	if d.Kind == content.Standalone {
		return "/" + slug + "/", nil
	}
	pattern := a.in.Config.Permalink(d.Section)
	t := d.Date.In(vietnamese.Location())
	u := expandPermalink(pattern, func(token string) string {
		switch token {
		case "section":
			return a.slug(d.Section)
		case "slug":
			return slug
		case "title":
			return vietnamese.Slug(d.Title)
		case "filename":
			return vietnamese.Slug(d.Name)
		case "year":
			return fmt.Sprintf("%04d", t.Year())
		case "month":
			return fmt.Sprintf("%02d", int(t.Month()))
		default: // "day"
			return fmt.Sprintf("%02d", t.Day())
		}
	})
	for strings.Contains(u, "//") {
		u = strings.ReplaceAll(u, "//", "/")
	}
	if plainPath(u) {
		return u, nil // what slugs make: already clean, and checking costs a URL parse
	}
	return CleanURLPath(u)
}

func (a *assembler) sections() {
	byName := map[string]*Section{}
	for _, art := range a.g.Articles {
		name := art.Document.Section
		if name == "" {
			continue
		}
		s := byName[name]
		if s == nil {
			slug := vietnamese.Slug(name)
			s = &Section{Name: name, Title: sectionTitle(name), URL: "/" + slug + "/", FeedURL: "/" + slug + "/index.xml"}
			byName[name] = s
			a.g.Sections = append(a.g.Sections, s)
		}
		s.Articles = append(s.Articles, art)
		art.Section = s
	}
	for _, d := range a.in.SectionIndexes {
		if s := byName[d.Name]; s != nil {
			if d.Title != "" {
				s.Title = d.Title
			}
			s.Summary = d.Summary
		}
	}
	slices.SortFunc(a.g.Sections, func(x, y *Section) int { return cmp.Compare(x.Name, y.Name) })
	for _, s := range a.g.Sections {
		for i, art := range s.Articles {
			if i > 0 {
				art.Next = s.Articles[i-1]
			}
			if i+1 < len(s.Articles) {
				art.Prev = s.Articles[i+1]
			}
		}
	}
}

// sectionTitle gives well-known sections a Vietnamese title when no _index.md names them.
func sectionTitle(name string) string {
	known := map[string]string{
		"tin-tuc": "Tin tức", "thong-bao": "Thông báo", "su-kien": "Sự kiện",
		"van-ban": "Văn bản", "hoat-dong": "Hoạt động",
	}
	if t, ok := known[name]; ok {
		return t
	}
	return strings.ReplaceAll(name, "-", " ")
}

func (a *assembler) taxonomies() {
	for _, tc := range a.in.Config.Taxonomies {
		tax := &Taxonomy{Taxonomy: tc, URL: "/" + tc.Path + "/"}
		a.g.Taxonomies = append(a.g.Taxonomies, tax)
		a.terms[tc.Key] = map[string]*Term{}
	}
	for _, art := range a.g.Articles {
		if n := len(art.Document.Terms); n > 0 {
			art.Terms = make([]TermGroup, 0, n) // one group per taxonomy with values, at most
		}
		for _, tax := range a.g.Taxonomies {
			var group []*Term
			vals := art.Document.Terms.Of(tax.Key)
			if len(vals) > 0 {
				group = make([]*Term, 0, len(vals))
			}
			for _, raw := range vals {
				t := a.term(tax, raw, art)
				if t == nil || slices.Contains(group, t) {
					continue
				}
				t.Articles = append(t.Articles, art)
				group = append(group, t)
			}
			if len(group) > 0 {
				art.Terms = append(art.Terms, TermGroup{Taxonomy: tax, Terms: group})
			}
		}
		if len(art.Terms) == 0 {
			art.Terms = nil // as before: no group, no list
		}
	}
	if tax := a.g.Taxonomy(config.ProvinceTaxonomy); tax != nil && a.in.Registry != nil {
		a.provinceLinks(tax)
	}
	for _, tax := range a.g.Taxonomies {
		for _, t := range a.terms[tax.Key] {
			tax.Terms = append(tax.Terms, t)
		}
		// Each term's articles are already newest first: they were appended in the
		// order of a.g.Articles.
		vietnamese.SortFunc(tax.Terms, func(t *Term) string { return t.Name })
	}
}

// term finds or creates the term for a raw front matter value. Values repeat across
// articles, so accepted ones are remembered (rejected ones are rare and warn every time).
func (a *assembler) term(tax *Taxonomy, raw string, art *Article) *Term {
	k := [2]string{tax.Key, raw}
	if t, ok := a.seen[k]; ok {
		return t
	}
	t := a.newTerm(tax, raw, art)
	if t != nil {
		a.seen[k] = t
	}
	return t
}

func (a *assembler) newTerm(tax *Taxonomy, raw string, art *Article) *Term {
	name := raw
	var prov *province.Province
	if tax.Key == config.ProvinceTaxonomy && a.in.Registry != nil {
		p, ok := a.in.Registry.Lookup(raw)
		if !ok {
			if s, ok := a.in.Registry.Suggest(raw); ok {
				a.ds.Warnf(art.Path, art.Line(tax.Key), 1, "unknown-province", "không có tỉnh, thành phố %q nên bài không được xếp vào đó: có phải định viết %q? (viết đủ dấu)", raw, s)
			} else {
				a.ds.Warnf(art.Path, art.Line(tax.Key), 1, "unknown-province", "không có tỉnh, thành phố %q nên bài không được xếp vào đó: dùng tên có trong danh sách (trang /tinh/ liệt kê đủ) hoặc khai báo thêm trong [[provinces]] ở config.toml", raw)
			}
			return nil
		}
		name, prov = p.Name, &p
	}
	slug := vietnamese.Slug(name)
	if slug == "" {
		a.ds.Warnf(art.Path, art.Line(tax.Key), 1, "term", "%s: giá trị %q không có chữ hay số nào nên bị bỏ qua", tax.Key, raw)
		return nil
	}
	if t := a.terms[tax.Key][slug]; t != nil {
		return t
	}
	t := &Term{Taxonomy: tax, Name: name, Slug: slug, Province: prov,
		URL: tax.URL + slug + "/", FeedURL: tax.URL + slug + "/index.xml"}
	a.terms[tax.Key][slug] = t
	return t
}

// provinceLinks adds terms for the successors of merged provinces (so "what it became" is a
// link) and wires successor/predecessor links.
func (a *assembler) provinceLinks(tax *Taxonomy) {
	terms := a.terms[tax.Key]
	var slugs []string
	for s := range terms {
		slugs = append(slugs, s)
	}
	slices.Sort(slugs)
	for _, s := range slugs {
		t := terms[s]
		if t.Province == nil || t.Province.MergedInto == "" {
			continue
		}
		succ, ok := a.in.Registry.Lookup(t.Province.MergedInto)
		if !ok {
			continue
		}
		st := terms[succ.Slug]
		if st == nil {
			st = &Term{Taxonomy: tax, Name: succ.Name, Slug: succ.Slug, Province: &succ,
				URL: tax.URL + succ.Slug + "/", FeedURL: tax.URL + succ.Slug + "/index.xml"}
			terms[succ.Slug] = st
		}
		t.Successor = st
	}
	for _, t := range terms {
		if t.Province == nil {
			continue
		}
		t.PredecessorNames = t.Province.Predecessors
		for _, name := range t.Province.Predecessors {
			if p, ok := a.in.Registry.Lookup(name); ok {
				if pt := terms[p.Slug]; pt != nil {
					t.Predecessors = append(t.Predecessors, pt)
				}
			}
		}
	}
}

func (a *assembler) years() {
	by := map[int]*Year{}
	for _, art := range a.g.Articles {
		y := art.Date.In(vietnamese.Location()).Year()
		if by[y] == nil {
			by[y] = &Year{Year: y, URL: "/luu-tru/" + strconv.Itoa(y) + "/"}
			a.g.Years = append(a.g.Years, by[y])
		}
		by[y].Articles = append(by[y].Articles, art)
	}
	slices.SortFunc(a.g.Years, func(x, y *Year) int { return cmp.Compare(y.Year, x.Year) })
}

// related scores candidates that share provinces (2), categories (1) and tags (1). To stay
// linear in the number of articles, each term contributes only the articles nearest in date
// within its list. Scores live in slices indexed by the articles' positions (no map per
// article): at 10,000 articles this is what keeps a preview rebuild fast.
func (a *assembler) related() {
	const window, want = 25, 5
	arts := a.g.Articles
	pos := make(map[*Article]int32, len(arts))
	dates := make([]int64, len(arts))
	for i, art := range arts {
		pos[art] = int32(i)
		dates[i] = art.Date.UnixNano()
	}
	// member lists, per article, the terms it belongs to: the term's article positions,
	// its own place in that list and the weight.
	type member struct {
		list   []int32
		at     int
		weight int32
	}
	members := make([][]member, len(arts))
	for _, tax := range a.g.Taxonomies {
		w := int32(1)
		if tax.Key == config.ProvinceTaxonomy {
			w = 2
		}
		for _, t := range tax.Terms {
			list := make([]int32, len(t.Articles))
			for i, art := range t.Articles {
				list[i] = pos[art]
			}
			for i, p := range list {
				members[p] = append(members[p], member{list, i, w})
			}
		}
	}
	// Articles are scored in chunks on all cores, each chunk with its own scratch slices.
	chunks := min(len(arts), 4*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score := make([]int32, len(arts))
			stamp := make([]int32, len(arts))
			var touched []int32
			for ai := c * len(arts) / chunks; ai < (c+1)*len(arts)/chunks; ai++ {
				art, self := arts[ai], int32(ai)
				touched = touched[:0]
				for _, m := range members[ai] {
					lo, hi := max(0, m.at-window), min(len(m.list), m.at+window+1)
					for _, o := range m.list[lo:hi] {
						if o == self {
							continue
						}
						if stamp[o] != self+1 {
							stamp[o], score[o] = self+1, 0
							touched = append(touched, o)
						}
						score[o] += m.weight
					}
				}
				// Keep the best five with a bounded insertion instead of sorting every candidate.
				better := func(x, y int32) bool {
					if score[x] != score[y] {
						return score[x] > score[y]
					}
					if dx, dy := absDiff(dates[x], dates[ai]), absDiff(dates[y], dates[ai]); dx != dy {
						return dx < dy
					}
					return arts[x].Path < arts[y].Path
				}
				var best [want + 1]int32
				n := 0
				for _, o := range touched {
					i := n
					for i > 0 && better(o, best[i-1]) {
						i--
					}
					if i < want {
						copy(best[i+1:n+1], best[i:n])
						best[i] = o
						n = min(n+1, want)
					}
				}
				art.Related = make([]*Article, n)
				for i := range n {
					art.Related[i] = arts[best[i]]
				}
			}
		}()
	}
	wg.Wait()
}

func absDiff(x, y int64) int64 {
	if x < y {
		return y - x
	}
	return x - y
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// plainText turns the Markdown renderer's inline HTML (well-formed, sanitized) back into
// text for meta descriptions, JSON-LD and feeds.
func plainText(h string) string {
	if !strings.ContainsAny(h, "<&") {
		// No tag and no character reference: the text is h itself, and shares its bytes
		// (a lead without markup is its summary's string: one copy per article, not two).
		return strings.TrimSpace(h)
	}
	return strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(h, "")))
}

func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len([]rune(text)) <= n {
		return text
	}
	r := []rune(text)[:n]
	s := string(r)
	if i := strings.LastIndex(s, " "); i > n/2 {
		s = s[:i]
	}
	return s + "…"
}
