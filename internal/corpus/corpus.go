// Package corpus generates deterministic, realistic Vietnamese news corpora for benchmarks
// and load tests: a complete portal site (config.toml plus content/tin-tuc/*.md) whose
// articles look like those of a provincial e-government portal, with Hugo-compatible YAML
// front matter (title, date, provinces, categories, tags, author/source, summary) and
// Markdown bodies of 150–2,500 words with headings, GFM tables, lists, bold text and links.
// [ModeProse] is a second corpus whose text follows the statistics of real articles (see
// prose.go).
//
// The same seed and count always give byte-identical files: the package uses its own
// SplitMix64 generator (math/rand's streams may change between Go releases) and never
// iterates over a map while generating. Each
// article depends only on (seed, index), so [Article] can produce any one of them alone.
package corpus

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Section is the content folder the articles are written into.
const Section = "tin-tuc"

// MinWords and MaxWords bound the length of an article body in words.
const (
	MinWords = 150
	MaxWords = 2500
)

// Dates are spread over [FirstDate, LastDate] in Asia/Ho_Chi_Minh. LastDate lies in the past
// of any benchmark run after it, so no article is left out as "future".
var (
	FirstDate = time.Date(2007, 1, 1, 0, 0, 0, 0, vietnamese.Location())
	LastDate  = time.Date(2026, 10, 31, 23, 59, 0, 0, vietnamese.Location())
)

// Options configure GenerateContext.
type Options struct {
	// Articles is the number of articles to write (>= 0).
	Articles int
	// Seed selects the corpus; equal seeds give byte-identical output.
	Seed int64
	// Workers is the number of goroutines writing articles; 0 means GOMAXPROCS.
	Workers int
	// PhotoEvery plants photos: every PhotoEvery-th article (0, PhotoEvery, 2×PhotoEvery,
	// …) is a page bundle (<slug>/index.md) with a camera-like photo anh.jpg beside it,
	// as its lead image (image, image_alt). 0 means no photos.
	PhotoEvery int
	// PhotoWidth and PhotoHeight are the photos' size; 0 means 4000×3000 (12 MP).
	PhotoWidth, PhotoHeight int
	// Mode selects the text generator; "" means ModeTemplate.
	Mode Mode
}

// Stats describe a generated corpus.
type Stats struct {
	Articles int
	Words    int   // body words over all articles
	Bytes    int64 // bytes of all article files
	// Photos and PhotoBytes count the planted photos (Options.PhotoEvery).
	Photos     int
	PhotoBytes int64
}

// Generate writes a complete site with n articles into dir, which must not exist or be empty.
func Generate(dir string, n int, seed int64) error {
	_, err := GenerateContext(context.Background(), dir, Options{Articles: n, Seed: seed})
	return err
}

// GenerateContext is Generate with cancellation and statistics. The site has:
//
//	config.toml                 (theme "default", search enabled)
//	content/gioi-thieu.md       (a standalone page)
//	content/tin-tuc/_index.md   (the section's title)
//	content/tin-tuc/<slug>.md   × opts.Articles
func GenerateContext(ctx context.Context, dir string, opts Options) (Stats, error) {
	var st Stats
	if opts.Articles < 0 {
		return st, fmt.Errorf("corpus: the number of articles must be 0 or more, got %d", opts.Articles)
	}
	mode, err := ParseMode(string(opts.Mode))
	if err != nil {
		return st, err
	}
	gen := mode.articleFunc()
	if err := checkEmpty(dir); err != nil {
		return st, err
	}
	section := filepath.Join(dir, "content", Section)
	if err := os.MkdirAll(section, 0o755); err != nil {
		return st, fmt.Errorf("corpus: %w", err)
	}
	fixed := map[string][]byte{
		"config.toml": ConfigTOML(),
		filepath.Join("content", "gioi-thieu.md"):      []byte(aboutPage),
		filepath.Join("content", Section, "_index.md"): []byte(sectionIndex),
	}
	for name, b := range fixed {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return st, fmt.Errorf("corpus: %w", err)
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var words, photos int
			var bytes, photoBytes int64
			for i := range next {
				name, data, nw := gen(opts.Seed, i)
				path := filepath.Join(section, name)
				var err error
				if opts.PhotoEvery > 0 && i%opts.PhotoEvery == 0 {
					var n int
					path, data, n, err = withPhoto(section, name, data, opts, i)
					photos++
					photoBytes += int64(n)
				}
				if err == nil {
					err = os.WriteFile(path, data, 0o644)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("corpus: %w", err)
					}
					mu.Unlock()
					continue
				}
				words += nw
				bytes += int64(len(data))
			}
			mu.Lock()
			st.Words += words
			st.Bytes += bytes
			st.Photos += photos
			st.PhotoBytes += photoBytes
			mu.Unlock()
		}()
	}
	sent := 0
	for i := 0; i < opts.Articles; i++ {
		if ctx.Err() != nil {
			break
		}
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- i
		sent++
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return st, firstErr
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	st.Articles = sent
	return st, nil
}

// withPhoto makes article i (file name, bytes) a page bundle with a photo: it writes
// <slug>/anh.jpg and returns where the article goes, its bytes with image and image_alt
// in the front matter, and the photo's size in bytes.
func withPhoto(section, name string, data []byte, opts Options, i int) (string, []byte, int, error) {
	w, h := opts.PhotoWidth, opts.PhotoHeight
	if w <= 0 || h <= 0 {
		w, h = 4000, 3000
	}
	dir := filepath.Join(section, strings.TrimSuffix(name, ".md"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, 0, err
	}
	jpg, err := PhotoJPEG(opts.Seed, i, w, h)
	if err != nil {
		return "", nil, 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, "anh.jpg"), jpg, 0o644); err != nil {
		return "", nil, 0, err
	}
	// The front matter opens with "---\n".
	fm := fmt.Sprintf("---\nimage: anh.jpg\nimage_alt: \"Ảnh minh họa bài số %d\"\n", i+1)
	data = append([]byte(fm), data[len("---\n"):]...)
	return filepath.Join(dir, "index.md"), data, len(jpg), nil
}

func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("corpus: %s is not empty; remove it or choose a new folder (the generator never overwrites files)", dir)
	}
	return nil
}

// Article returns the file name ("<slug>.md") and the bytes of article i (0-based) of the
// corpus with the given seed.
func Article(seed int64, i int) (name string, data []byte) {
	name, data, _ = article(seed, i)
	return name, data
}

// ConfigTOML returns the site's config.toml: the shape of the sample site's, theme
// "default", search enabled.
func ConfigTOML() []byte { return []byte(configTOML) }

const configTOML = `# Cấu hình trang thử nghiệm sinh tự động bởi internal/corpus (dùng cho đo hiệu năng).
baseURL = "http://127.0.0.1:1313/"
title = "Cổng thông tin điện tử thử nghiệm"
description = "Tin tức hoạt động ứng dụng công nghệ thông tin tại các tỉnh, thành phố (dữ liệu sinh tự động)"
languageCode = "vi"
theme = "default"
paginate = 10
feedLimit = 20

[permalinks]
tin-tuc = "/:section/:slug/"

[markup]
unsafe = false

[search]
index = ".search"

[organization]
name = "Cổng thông tin điện tử thử nghiệm"
agency = "Sở Khoa học và Công nghệ (đơn vị mẫu)"
responsible = "Giám đốc Sở (người chịu trách nhiệm nội dung)"
license = "Giấy phép số 00/GP-TTĐT (mẫu)"
address = "Số 1 đường Mẫu, phường Mẫu, tỉnh Mẫu"
phone = "0200 000 000"
email = "lienhe@example.gov.vn"
nameEN = "Test Provincial Portal"
agencyEN = "Department of Science and Technology (sample)"
addressEN = "1 Sample Street, Sample Ward, Sample Province, Viet Nam"
`

const sectionIndex = `---
title: "Tin tức"
summary: "Tin hoạt động ứng dụng công nghệ thông tin, chuyển đổi số và cải cách hành chính."
---
`

const aboutPage = `---
title: "Giới thiệu"
date: 2025-01-01
summary: "Trang thử nghiệm với dữ liệu sinh tự động, dùng để đo hiệu năng."
---

Đây là cổng thông tin thử nghiệm. Toàn bộ tin bài được **sinh tự động** từ một bộ từ vựng
hành chính, chỉ dùng để đo tốc độ dựng trang và tìm kiếm.
`

// meta is an article's front matter.
type meta struct {
	Slug      string
	Title     string
	Date      time.Time
	Provinces []string
	Category  string
	Tags      []string
	Author    string
	Source    string
	Summary   string
	mainProv  string // the first province as written
	mainKind  string // "tỉnh" or "thành phố"
	docTags   []string
}

// tables are the immutable lookup tables derived from the vocabulary and the registry.
type tables struct {
	provinces  dist
	provByName map[string]province.Province
	categories dist
	tags       dist
	allTags    []string
	docs       []string       // document-number tags
	docYear    map[string]int // year a document was issued, 0 if unknown
	isDoc      map[string]bool
	tagCount   dist
}

var getTables = sync.OnceValue(func() *tables {
	t := &tables{provByName: map[string]province.Province{}, isDoc: map[string]bool{}, docYear: map[string]int{}}
	all := province.Default().All()
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
		t.provByName[p.Name] = p
	}
	// A fixed, name-derived order so that the skew does not follow the alphabet.
	sort.SliceStable(names, func(i, j int) bool { return hash32(names[i]) < hash32(names[j]) })
	t.provinces = zipf(names, 1.0)
	t.categories = newDist(categories)

	t.docs = append(t.docs, knownDocs...)
	r := &rng{s: 0x2007_0529}
	seen := map[string]bool{}
	for _, d := range knownDocs {
		seen[d] = true
	}
	for len(topicTags)+len(t.docs) < 300 {
		k := r.pick(docKinds)
		num := r.between(1, 3200)
		year := r.between(2005, 2026)
		var d string
		if strings.Count(k, "%d") == 2 {
			d = fmt.Sprintf(k, num%250+1, year)
		} else {
			d = fmt.Sprintf(k, num)
		}
		if !seen[d] {
			seen[d] = true
			t.docs = append(t.docs, d)
		}
	}
	for _, d := range t.docs {
		t.isDoc[d] = true
		t.docYear[d] = yearIn(d)
		if y, ok := knownDocYears[d]; ok {
			t.docYear[d] = y
		}
	}
	// Interleave topics and documents so both appear among the frequent tags.
	var order []string
	for i := 0; i < len(topicTags) || i < len(t.docs); i++ {
		if i < len(topicTags) {
			order = append(order, topicTags[i])
		}
		if i < len(t.docs) {
			order = append(order, t.docs[i])
		}
	}
	t.allTags = order
	t.tags = zipf(order, 0.9)
	t.tagCount = newDist([]weighted{{"0", 15}, {"1", 25}, {"2", 25}, {"3", 20}, {"4", 15}})
	return t
})

// yearIn returns the first plausible year (1990–2030) written in s, or 0.
func yearIn(s string) int {
	for i := 0; i+4 <= len(s); i++ {
		if (i > 0 && isDigit(s[i-1])) || (i+4 < len(s) && isDigit(s[i+4])) {
			continue
		}
		if y, err := strconv.Atoi(s[i : i+4]); err == nil && y >= 1990 && y <= 2030 {
			return y
		}
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// docBefore draws a document issued in or before year (or of unknown year).
func (t *tables) docBefore(r *rng, year int) string {
	for tries := 0; tries < 16; tries++ {
		if d := r.pick(t.docs); t.docYear[d] <= year {
			return d
		}
	}
	return knownDocs[0]
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// metaFor computes the front matter of article i.
func metaFor(seed int64, i int) meta {
	t := getTables()
	r := newRNG(seed, streamMeta, i)
	var m meta
	span := LastDate.Sub(FirstDate)
	// Skewed towards recent years, as portals publish more every year.
	u := r.float()
	day := time.Duration(float64(span) * math.Pow(u, 0.75)).Truncate(24 * time.Hour)
	d := FirstDate.Add(day)
	m.Date = time.Date(d.Year(), d.Month(), d.Day(), r.between(7, 17), r.intn(60), 0, 0, vietnamese.Location())
	if m.Date.After(LastDate) {
		m.Date = LastDate
	}

	nprov := 1
	if r.chance(0.3) {
		nprov = 2
	}
	for len(m.Provinces) < nprov {
		name := provinceAt(t, t.provinces.draw(r), m.Date)
		if !slices.Contains(m.Provinces, name) {
			m.Provinces = append(m.Provinces, name)
		}
	}
	m.mainProv, m.mainKind = m.Provinces[0], string(province.KindProvince)
	if p, ok := t.provByName[m.mainProv]; ok {
		m.mainKind = string(p.Kind)
	}
	m.Category = t.categories.draw(r)

	ntags, _ := strconv.Atoi(t.tagCount.draw(r))
	for tries := 0; len(m.Tags) < ntags && tries < 20; tries++ {
		tag := t.tags.draw(r)
		if t.docYear[tag] > m.Date.Year() {
			continue // not issued yet
		}
		if !slices.Contains(m.Tags, tag) {
			m.Tags = append(m.Tags, tag)
			if t.isDoc[tag] {
				m.docTags = append(m.docTags, tag)
			}
		}
	}
	f := filler{r: r, m: &m, t: t}
	m.Title = capitalize(f.fill(r.pick(titleTemplates[m.Category])))
	switch x := r.float(); {
	case x < 0.45:
		m.Author = r.pick(authors)
	case x < 0.8:
		m.Source = f.fill(r.pick(sources))
	default:
		m.Author = r.pick(authors)
		m.Source = f.fill(r.pick(sources))
	}
	m.Summary = capitalize(f.fill(r.pick(openings)))
	m.Slug = vietnamese.SlugMax(m.Title, 70) + "-" + strconv.Itoa(i+1)
	return m
}

// provinceAt returns how an article dated at would name p: its successor after a merge, its
// former name before a rename.
func provinceAt(t *tables, name string, at time.Time) string {
	p := t.provByName[name]
	if p.MergedInto != "" && !p.MergedOn.IsZero() && !at.Before(p.MergedOn) {
		return p.MergedInto
	}
	for _, rn := range p.Renamed {
		if at.Before(rn.On) {
			return rn.From
		}
	}
	return p.Name
}

// article renders article i and returns its file name, bytes and body word count.
func article(seed int64, i int) (string, []byte, int) {
	m := metaFor(seed, i)
	var b strings.Builder
	b.Grow(8 << 10)
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", yamlQuote(m.Title))
	fmt.Fprintf(&b, "date: %s\n", m.Date.Format(time.RFC3339))
	fmt.Fprintf(&b, "provinces: %s\n", yamlList(m.Provinces))
	fmt.Fprintf(&b, "categories: %s\n", yamlList([]string{m.Category}))
	if len(m.Tags) > 0 {
		fmt.Fprintf(&b, "tags: %s\n", yamlList(m.Tags))
	}
	if m.Author != "" {
		fmt.Fprintf(&b, "author: %s\n", yamlQuote(m.Author))
	}
	if m.Source != "" {
		fmt.Fprintf(&b, "source: %s\n", yamlQuote(m.Source))
	}
	fmt.Fprintf(&b, "summary: %s\n", yamlQuote(m.Summary))
	b.WriteString("---\n\n")
	words := writeBody(&b, seed, i, &m)
	return m.Slug + ".md", []byte(vietnamese.NFC(b.String())), words
}

// yamlQuote returns s as a YAML double-quoted scalar.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func yamlList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = yamlQuote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
