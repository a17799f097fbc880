package corpus

import (
	"embed"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Mode selects how article text is generated.
type Mode string

const (
	// ModeTemplate (the default) fills a fixed set of sentence templates: 12 categories,
	// 300 tags, 150–2,500 words. Its corpus for a seed is pinned by TestGoldenDigest.
	ModeTemplate Mode = "template"
	// ModeProse walks a word-level Markov chain trained on the sample articles (prose/*.md,
	// copies of content/tin-tuc) and the template sentences, with slots for names, places,
	// numbers, dates and document numbers: about 8.5 KB per article, the 63 pre-2025
	// provinces (some written decomposed, NFD), 200 tags (Zipf, 2–5 per article), 6
	// categories, dates 2007–2024.
	ModeProse Mode = "prose"
)

// ParseMode returns the Mode named s ("" is the default, ModeTemplate).
func ParseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", ModeTemplate:
		return ModeTemplate, nil
	case ModeProse:
		return ModeProse, nil
	}
	return "", fmt.Errorf("corpus: unknown mode %q; use %q or %q", s, ModeTemplate, ModeProse)
}

// articleFunc returns the generator of mode m: article i of a seed → file name, bytes, words.
func (m Mode) articleFunc() func(seed int64, i int) (string, []byte, int) {
	if m == ModeProse {
		return proseArticle
	}
	return article
}

// ProseArticle is Article for ModeProse.
func ProseArticle(seed int64, i int) (name string, data []byte) {
	name, data, _ = proseArticle(seed, i)
	return name, data
}

//go:embed prose/*.md
var proseFS embed.FS

// Prose-mode constants.
const (
	proseTags       = 200
	proseBodyBytes  = 6900 // median body size; front matter adds ~0.6 KB
	proseNFDPercent = 12   // articles whose province names are written decomposed
	proseHome       = 0.6  // probability of following the article's home sample
	proseMaxWords   = 200  // a Markov sentence longer than this is cut
)

var proseCategories = []weighted{
	{"Hội nghị", 24}, {"Làm việc", 18}, {"Chuyển đổi số", 18}, {"Tập huấn", 14},
	{"Kiểm tra", 13}, {"Cải cách hành chính", 13},
}

var (
	proseLastDate = time.Date(2024, 12, 31, 17, 0, 0, 0, vietnamese.Location())
	reDate        = regexp.MustCompile(`^\d{1,2}/\d{1,2}/\d{4}$`)
	reDocNum      = regexp.MustCompile(`^\d+(/\d{4})?[/-][\p{Lu}Đ&-]+([/-][\p{Lu}Đ&-]+)*$`)
	reYear        = regexp.MustCompile(`^(19|20)\d\d$`)
	reNumber      = regexp.MustCompile(`^\d+$`)
)

// markov is an order-2 word chain. Successors are kept as a multiset in training order, so
// a uniform draw follows the training frequencies and nothing depends on map order.
type markov struct {
	next map[[2]string][]string
}

// proseTables are the immutable tables of prose mode.
type proseTables struct {
	chain      markov   // every training sentence
	home       []markov // one per sample article: an article keeps mostly to one of them
	byLength   []string // the province names, longest first
	provinces  dist     // 63 pre-2025 names, Zipf
	provKind   map[string]string
	categories dist
	tags       dist
	tagCount   dist
	tagList    []string
}

var getProseTables = sync.OnceValue(func() *proseTables {
	t := getTables()
	p := &proseTables{chain: markov{next: map[[2]string][]string{}}, provKind: map[string]string{}}
	var names []string
	for _, pr := range province.Default().All() {
		name := pr.Name
		for _, rn := range pr.Renamed {
			name = rn.From // the pre-2025 name: Thừa Thiên Huế
		}
		names = append(names, name)
		p.provKind[name] = string(pr.Kind)
	}
	slices.SortStableFunc(names, func(a, b string) int { return int(int64(hash32(a)) - int64(hash32(b))) })
	p.provinces = zipf(names, 0.9)
	p.byLength = slices.Clone(names)
	slices.SortStableFunc(p.byLength, func(a, b string) int { return len(b) - len(a) })
	p.categories = newDist(proseCategories)
	p.tagList = t.allTags[:proseTags]
	p.tags = zipf(p.tagList, 1.0)
	p.tagCount = newDist([]weighted{{"2", 35}, {"3", 30}, {"4", 20}, {"5", 15}})

	// Training text: the sample articles' sentences (eight times: they carry the style) and the
	// template sentences with their slots.
	var train []string
	for _, body := range sampleBodies() {
		home := markov{next: map[[2]string][]string{}}
		for _, para := range strings.Split(body, "\n\n") {
			para = strings.TrimSpace(para)
			if para == "" || strings.HasPrefix(para, "!") || strings.HasPrefix(para, "#") {
				continue
			}
			ss := splitSentences(strings.Join(strings.Fields(para), " "))
			train = append(train, ss...)
			for _, s := range ss {
				home.add(p.slotted(s))
			}
		}
		p.home = append(p.home, home)
	}
	for k := 0; k < 3; k++ {
		train = append(train, train...)
	}
	train = append(train, sentences...)
	for _, s := range train {
		p.chain.add(p.slotted(s))
	}
	return p
})

// sampleBodies returns the bodies (front matter removed) of the embedded sample articles.
func sampleBodies() []string {
	entries, _ := proseFS.ReadDir("prose") // sorted by name
	var out []string
	for _, e := range entries {
		b, err := proseFS.ReadFile("prose/" + e.Name())
		if err != nil {
			continue
		}
		s := vietnamese.NFC(string(b))
		if strings.HasPrefix(s, "---\n") {
			if end := strings.Index(s[4:], "\n---\n"); end >= 0 {
				s = s[4+end+5:]
			}
		}
		out = append(out, s)
	}
	return out
}

// splitSentences splits running text after ".", "?", "!" or "…" followed by a space and
// an upper-case letter or a quote.
func splitSentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i+2 < len(rs); i++ {
		if strings.ContainsRune(".?!…", rs[i]) && rs[i+1] == ' ' && (unicode.IsUpper(rs[i+2]) || rs[i+2] == '“') {
			out = append(out, strings.TrimSpace(string(rs[start:i+1])))
			start = i + 2
		}
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

// slotted returns the words of sentence s with province names, dates, document numbers,
// years and other numbers replaced by slots, so that generated text varies them.
func (p *proseTables) slotted(s string) []string {
	for _, name := range p.byLength {
		s = strings.ReplaceAll(s, name, "{P}")
	}
	words := strings.Fields(s)
	for i, w := range words {
		core := strings.TrimRight(w, ".,;:)”\"…")
		tail := w[len(core):]
		lead := ""
		if strings.HasPrefix(core, "(") || strings.HasPrefix(core, "“") {
			_, n := utf8.DecodeRuneInString(core)
			lead, core = core[:n], core[n:]
		}
		var slot string
		switch {
		case reDate.MatchString(core):
			slot = "{pd}"
		case reDocNum.MatchString(core):
			slot = "{pdocnum}"
		case reYear.MatchString(core):
			slot = "{pY}"
		case reNumber.MatchString(core):
			slot = "{num}"
		default:
			continue
		}
		words[i] = lead + slot + tail
	}
	return words
}

func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}

func (c *markov) add(words []string) {
	a, b := "", ""
	for _, w := range words {
		k := [2]string{a, b}
		c.next[k] = append(c.next[k], w)
		a, b = b, w
	}
	k := [2]string{a, b}
	c.next[k] = append(c.next[k], "") // end of sentence
}

// sentence walks the chain from the start: a sentence of at least minWords words. At each
// step it follows home with probability pHome when home knows the state, so that an article
// keeps to the vocabulary of one sample, as real articles keep to their topic.
func (c *markov) sentence(r *rng, minWords int, home *markov, pHome float64) []string {
	for try := 0; ; try++ {
		var out []string
		a, b := "", ""
		for len(out) < proseMaxWords {
			succ := c.next[[2]string{a, b}]
			if hs := home.next[[2]string{a, b}]; len(hs) > 0 && r.chance(pHome) {
				succ = hs
			}
			if len(succ) == 0 {
				break
			}
			w := succ[r.intn(len(succ))]
			if w == "" {
				break
			}
			out = append(out, w)
			a, b = b, w
		}
		if len(out) >= minWords || try >= 8 {
			if last := out[len(out)-1]; !strings.ContainsAny(lastRune(last), ".?!…") {
				out[len(out)-1] = strings.TrimRight(last, ",;:–-") + "."
			}
			return out
		}
	}
}

// proseCast is who and what one article is about: names repeat within an article.
type proseCast struct {
	people []string
	docs   []string
}

type proseWriter struct {
	b     *strings.Builder
	f     filler
	pt    *proseTables
	home  *markov
	cast  proseCast
	words int
}

var (
	surnames = []weighted{{"Nguyễn", 38}, {"Trần", 11}, {"Lê", 9}, {"Phạm", 7}, {"Hoàng", 5}, {"Huỳnh", 4},
		{"Phan", 4}, {"Vũ", 4}, {"Võ", 3}, {"Đặng", 2}, {"Bùi", 2}, {"Đỗ", 2}, {"Hồ", 2}, {"Ngô", 1.5},
		{"Dương", 1}, {"Lý", 1}, {"Đinh", 1}, {"Lương", 0.8}, {"Trịnh", 0.8}, {"Hà", 0.7}, {"Mai", 0.5}}
	middles = []string{"Văn", "Thị", "Đình", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Ngọc", "Xuân", "Trọng",
		"Công", "Hoàng", "Gia", "Thu", "Hồng", "Anh", "Tuấn", "Kim", "Bá"}
	givens = []string{"An", "Bình", "Cường", "Dũng", "Đỉnh", "Giang", "Hà", "Hải", "Hiếu", "Hòa", "Hoàng",
		"Hùng", "Hương", "Khánh", "Kỳ", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phú",
		"Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Thảo", "Thịnh", "Thủy", "Tiến", "Trang", "Trung",
		"Tú", "Tuấn", "Vân", "Việt", "Vinh", "Yến"}
	surnameDist = newDist(surnames)
)

func (w *proseWriter) newPerson() string {
	r := w.f.r
	return surnameDist.draw(r) + " " + r.pick(middles) + " " + r.pick(givens)
}

// docNumber invents a document number of the article's year or earlier.
func (w *proseWriter) docNumber() string {
	r := w.f.r
	y := w.f.m.Date.Year() - r.intn(3)
	k := r.pick(docKinds)
	if strings.Count(k, "%d") == 2 {
		return fmt.Sprintf(k, r.between(1, 250), y)
	}
	return fmt.Sprintf(k, r.between(1, 3200)) // a number without its year
}

// value expands the prose-only slots and falls back to the template filler's.
func (w *proseWriter) value(key string) string {
	r := w.f.r
	switch key {
	case "person":
		if r.chance(0.8) {
			return w.cast.people[r.intn(len(w.cast.people))]
		}
		return w.newPerson()
	case "official":
		return "đồng chí " + w.value("person") + ", " + r.pick(officialTitles)
	case "pdocnum":
		d := w.cast.docs[r.intn(len(w.cast.docs))]
		if i := strings.LastIndexByte(d, ' '); i >= 0 && strings.Contains(d[i:], "/") && r.chance(0.7) {
			return d[i+1:] // the number alone: "64/2007/NĐ-CP"
		}
		return d
	case "P":
		if ps := w.f.m.Provinces; len(ps) > 1 && r.chance(0.25) {
			return ps[1]
		}
		return w.f.m.mainProv
	case "pY":
		return strconv.Itoa(w.f.m.Date.Year() - 3 + r.intn(7))
	case "pd":
		return shortDate(w.f.m.Date.AddDate(0, 0, -r.intn(60)))
	case "num":
		if r.chance(0.3) {
			return strconv.Itoa(r.between(100, 2000))
		}
		return strconv.Itoa(r.between(2, 95))
	}
	return w.f.value(key)
}

func (w *proseWriter) fill(s string) string { return expand(s, w.value, 0) }

func (w *proseWriter) sentence(minWords int) string {
	return capitalize(w.fill(strings.Join(w.pt.chain.sentence(w.f.r, minWords, w.home, proseHome), " ")))
}

func (w *proseWriter) text(s string) {
	w.words += len(strings.Fields(s))
	w.b.WriteString(s)
}

// proseMeta computes the front matter of prose article i.
func proseMeta(seed int64, i int, pt *proseTables) meta {
	t := getTables()
	r := newRNG(seed, streamMeta^0x70726f7365, i) // "prose"
	var m meta
	span := proseLastDate.Sub(FirstDate)
	day := time.Duration(float64(span) * math.Pow(r.float(), 0.75)).Truncate(24 * time.Hour)
	d := FirstDate.Add(day)
	m.Date = time.Date(d.Year(), d.Month(), d.Day(), r.between(7, 17), r.intn(60), 0, 0, vietnamese.Location())
	nprov := 1
	if r.chance(0.25) {
		nprov = 2
	}
	for len(m.Provinces) < nprov {
		if name := pt.provinces.draw(r); !slices.Contains(m.Provinces, name) {
			m.Provinces = append(m.Provinces, name)
		}
	}
	m.mainProv, m.mainKind = m.Provinces[0], pt.provKind[m.Provinces[0]]
	m.Category = pt.categories.draw(r)
	ntags, _ := strconv.Atoi(pt.tagCount.draw(r))
	for tries := 0; len(m.Tags) < ntags && tries < 40; tries++ {
		tag := pt.tags.draw(r)
		if t.docYear[tag] > m.Date.Year() || slices.Contains(m.Tags, tag) {
			continue
		}
		m.Tags = append(m.Tags, tag)
		if t.isDoc[tag] {
			m.docTags = append(m.docTags, tag)
		}
	}
	for k := 0; len(m.Tags) < 2; k++ { // rare: the draws were all too new
		if tag := topicTags[k]; !slices.Contains(m.Tags, tag) {
			m.Tags = append(m.Tags, tag)
		}
	}
	f := filler{r: r, m: &m, t: t}
	m.Title = capitalize(f.fill(r.pick(titleTemplates[m.Category])))
	if r.chance(0.6) {
		m.Author = r.pick(authors)
	}
	if r.chance(0.5) {
		m.Source = f.fill(r.pick(sources))
	}
	m.Slug = vietnamese.SlugMax(m.Title, 70) + "-" + strconv.Itoa(i+1)
	return m
}

// proseArticle renders prose article i and returns its file name, bytes and body words.
func proseArticle(seed int64, i int) (string, []byte, int) {
	pt := getProseTables()
	m := proseMeta(seed, i, pt)
	r := newRNG(seed, streamBody^0x70726f7365, i)
	w := &proseWriter{b: &strings.Builder{}, f: filler{r: r, m: &m, t: getTables()}, pt: pt}
	w.home = &pt.home[r.intn(len(pt.home))]
	for n := r.between(2, 4); len(w.cast.people) < n; {
		w.cast.people = append(w.cast.people, w.newPerson())
	}
	w.cast.docs = append(w.cast.docs, m.docTags...)
	for len(w.cast.docs) < 2 {
		w.cast.docs = append(w.cast.docs, w.docNumber())
	}
	// Body size: log-normal around proseBodyBytes.
	g := math.Sqrt(-2*math.Log(1-r.float())) * math.Cos(2*math.Pi*r.float())
	target := int(proseBodyBytes * math.Exp(0.3*g-0.045))

	lead := w.sentence(12)
	m.Summary = lead
	w.text(lead)
	w.b.WriteString(" ")
	w.text(w.sentence(6))
	w.b.WriteString("\n\n")
	paras, listDone := 0, false
	for w.b.Len() < target {
		if paras > 0 && paras%4 == 0 && target-w.b.Len() > 1500 {
			w.b.WriteString("## ")
			w.text(capitalize(w.fill(r.pick(headings))))
			w.b.WriteString("\n\n")
		}
		n := r.between(1, 4)
		parts := make([]string, n)
		for k := range parts {
			parts[k] = w.sentence(6)
		}
		w.text(strings.Join(parts, " "))
		w.b.WriteString("\n\n")
		paras++
		if !listDone && paras == 3 && r.chance(0.3) {
			listDone = true
			for k, n := 0, r.between(3, 5); k < n; k++ {
				w.b.WriteString("- ")
				w.text(w.fill(r.pick(tasks)))
				w.b.WriteString(";\n")
			}
			w.b.WriteString("\n")
		}
	}
	var b strings.Builder
	b.Grow(w.b.Len() + 1024)
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlQuote(m.Title))
	fmt.Fprintf(&b, "date: %s\n", m.Date.Format(time.RFC3339))
	fmt.Fprintf(&b, "provinces: %s\n", yamlList(m.Provinces))
	fmt.Fprintf(&b, "categories: %s\n", yamlList([]string{m.Category}))
	fmt.Fprintf(&b, "tags: %s\n", yamlList(m.Tags))
	if m.Author != "" {
		fmt.Fprintf(&b, "author: %s\n", yamlQuote(m.Author))
	}
	if m.Source != "" {
		fmt.Fprintf(&b, "source: %s\n", yamlQuote(m.Source))
	}
	fmt.Fprintf(&b, "summary: %s\n", yamlQuote(m.Summary))
	b.WriteString("---\n\n")
	b.WriteString(strings.TrimRight(w.b.String(), "\n") + "\n")
	out := vietnamese.NFC(b.String())
	// Some editors (macOS) save decomposed text: write this article's provinces in NFD.
	if r.intn(100) < proseNFDPercent {
		for _, p := range m.Provinces {
			out = strings.ReplaceAll(out, p, norm.NFD.String(p))
		}
	}
	return m.Slug + ".md", []byte(out), w.words
}
