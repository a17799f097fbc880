package corpus

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// filler expands {placeholders} in vocabulary strings for one article.
type filler struct {
	r *rng
	m *meta
	t *tables
}

// fill expands every {name} in s. Expansions may contain placeholders themselves; nesting
// is limited so that a vocabulary mistake cannot loop forever.
func (f filler) fill(s string) string { return expand(s, f.value, 0) }

// expand replaces every {key} in s by value(key), expanded in turn: a value may hold
// placeholders itself; nesting is limited so that a vocabulary mistake cannot loop forever.
func expand(s string, value func(string) string, depth int) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			b.WriteString(s)
			break
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:open])
		v := value(s[open+1 : open+end])
		if depth < 4 {
			v = expand(v, value, depth+1)
		}
		b.WriteString(v)
		s = s[open+end+1:]
	}
	return b.String()
}

func (f filler) value(key string) string {
	r, m := f.r, f.m
	y := m.Date.Year()
	switch key {
	case "P":
		return m.mainProv
	case "tinhP":
		return m.mainKind + " " + m.mainProv
	case "TinhP":
		return capitalize(m.mainKind) + " " + m.mainProv
	case "Y":
		return strconv.Itoa(y)
	case "Y1":
		return strconv.Itoa(y - 1)
	case "Y+1":
		return strconv.Itoa(y + 1)
	case "d":
		return shortDate(m.Date.AddDate(0, 0, -r.intn(4)))
	case "d2":
		return shortDate(m.Date.AddDate(0, 0, 1))
	case "m":
		return strconv.Itoa(int(m.Date.Month()))
	case "q":
		return strconv.Itoa((int(m.Date.Month())-1)/3 + 1)
	case "num":
		return strconv.Itoa(r.between(2, 95))
	case "big":
		return thousands(r.between(120, 250000))
	case "pct":
		p := fmt.Sprintf("%d,%d%%", r.between(60, 99), r.intn(10))
		if r.chance(0.2) {
			return "**" + p + "**"
		}
		return p
	case "score":
		return fmt.Sprintf("%d,%02d", r.between(75, 93), r.intn(100))
	case "rank":
		return strconv.Itoa(r.between(1, 63))
	case "money":
		return fmt.Sprintf("%d,%d", r.between(2, 480), r.intn(10))
	case "agency":
		return r.pick(agencies)
	case "agencyShort":
		return r.pick(agencyShorts)
	case "official":
		return "đồng chí " + r.pick(people) + ", " + r.pick(officialTitles)
	case "person":
		return r.pick(people)
	case "district":
		return r.pick(districts)
	case "topic":
		return r.pick(topics)
	case "system":
		return r.pick(systems)
	case "event":
		return r.pick(events)
	case "venue":
		return r.pick(venues)
	case "when":
		return r.pick(whens)
	case "skill":
		return r.pick(skills)
	case "audience":
		return r.pick(audiences)
	case "doc":
		d := f.docTag()
		if r.chance(0.6) {
			return d + issuer(d)
		}
		return d
	case "confPurpose":
		return r.pick(confPurposes)
	case "seminar":
		return r.pick(seminars)
	case "region":
		return r.pick(regions)
	case "statTitle":
		return r.pick(statTitles)
	case "changeTitle":
		return r.pick(changeTitles)
	case "threat":
		return r.pick(threats)
	case "contest":
		return r.pick(contests)
	case "company":
		return r.pick(companies)
	}
	// An unknown placeholder is a bug in the vocabulary; keep it visible.
	return "{" + key + "}"
}

// docTag returns a document number for running text: one of the article's own document
// tags most of the time, else any document not newer than the article.
func (f filler) docTag() string {
	if len(f.m.docTags) > 0 && f.r.chance(0.7) {
		return f.m.docTags[f.r.intn(len(f.m.docTags))]
	}
	return f.t.docBefore(f.r, f.m.Date.Year())
}

// issuer names who issues a document, from the suffix of its number.
func issuer(doc string) string {
	for _, s := range issuers {
		if strings.HasSuffix(doc, s.suffix) {
			return " của " + s.name
		}
	}
	return ""
}

// shortDate formats t the Vietnamese way: 29/5/2007.
func shortDate(t time.Time) string {
	return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
}

// thousands formats n with "." between groups of three digits: 12.345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func slicesContains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if c == utf8.RuneError || unicode.IsUpper(c) {
		return s
	}
	return string(unicode.ToUpper(c)) + s[n:]
}

// body builds the Markdown body of one article and counts its words.
type body struct {
	b     *strings.Builder
	f     filler
	words int
	seed  int64
	index int
}

func (w *body) text(s string) {
	w.words += len(strings.Fields(s))
	w.b.WriteString(s)
}

func (w *body) sentence() string {
	return capitalize(w.f.fill(w.f.r.pick(sentences)))
}

func (w *body) paragraph(min, max int) {
	r := w.f.r
	n := r.between(min, max)
	parts := make([]string, n)
	picked := make([]int, 0, n)
	for i := range parts {
		k := r.intn(len(sentences))
		for slicesContains(picked, k) {
			k = (k + 1) % len(sentences)
		}
		picked = append(picked, k)
		parts[i] = capitalize(w.f.fill(sentences[k]))
	}
	if r.chance(0.07) {
		parts = append(parts, w.link())
	}
	w.text(strings.Join(parts, " "))
	w.b.WriteString("\n\n")
}

// link returns a sentence with a link: to an official site, or to an earlier article.
func (w *body) link() string {
	r := w.f.r
	if w.index > 0 && r.chance(0.5) {
		j := r.intn(w.index)
		other := metaFor(w.seed, j)
		return fmt.Sprintf("Xem thêm: [%s](/%s/%s/).", other.Title, Section, other.Slug)
	}
	l := links[r.intn(len(links))]
	return fmt.Sprintf("Thông tin chi tiết được đăng tải trên [%s](%s).", l.Text, l.URL)
}

func (w *body) heading(level int, s string) {
	w.b.WriteString(strings.Repeat("#", level) + " ")
	w.text(capitalize(w.f.fill(s)))
	w.b.WriteString("\n\n")
}

func (w *body) list(ordered bool) {
	r := w.f.r
	n := r.between(3, 7)
	w.text(capitalize(w.f.fill(r.pick([]string{
		"Các nhiệm vụ trọng tâm trong thời gian tới gồm:", "Hội nghị thống nhất một số nội dung sau:",
		"{agency} đề nghị các đơn vị:", "Một số giải pháp chủ yếu:", "Kế hoạch đặt ra các mục tiêu:",
	}))))
	w.b.WriteString("\n\n")
	used := map[int]bool{}
	for i := 1; i <= n; i++ {
		k := r.intn(len(tasks))
		for used[k] {
			k = (k + 1) % len(tasks)
		}
		used[k] = true
		item := w.f.fill(tasks[k])
		if r.chance(0.1) {
			item = "**" + item + "**"
		}
		if ordered {
			fmt.Fprintf(w.b, "%d. ", i)
		} else {
			w.b.WriteString("- ")
		}
		w.text(item)
		if i < n {
			w.b.WriteString(";\n")
		} else {
			w.b.WriteString(".\n")
		}
	}
	w.b.WriteString("\n")
}

func (w *body) table() {
	r := w.f.r
	switch r.intn(3) {
	case 0:
		w.text(fmt.Sprintf("Kết quả giải quyết thủ tục hành chính năm %d tại một số địa phương:", w.f.m.Date.Year()))
		w.b.WriteString("\n\n| STT | Đơn vị | Hồ sơ tiếp nhận | Đã giải quyết | Tỷ lệ đúng hạn |\n|---:|:---|---:|---:|---:|\n")
		start := r.intn(len(districts))
		for i := 0; i < r.between(4, 10); i++ {
			recv := r.between(800, 42000)
			done := recv - r.intn(recv/20+1)
			w.text(fmt.Sprintf("| %d | %s | %s | %s | %d,%d%% |", i+1, capitalize(districts[(start+i)%len(districts)]),
				thousands(recv), thousands(done), r.between(90, 99), r.intn(10)))
			w.b.WriteString("\n")
		}
	case 1:
		y := w.f.m.Date.Year()
		w.text("Một số chỉ tiêu chủ yếu:")
		fmt.Fprintf(w.b, "\n\n| Chỉ tiêu | Kế hoạch năm %d | Thực hiện | Đánh giá |\n|:---|---:|---:|:---|\n", y)
		start := r.intn(len(indicators))
		for i := 0; i < r.between(3, 7); i++ {
			plan := r.between(50, 100)
			done := plan - 10 + r.intn(20)
			verdict := "Đạt"
			if done < plan {
				verdict = "Chưa đạt"
			} else if done > plan+5 {
				verdict = "Vượt"
			}
			w.text(fmt.Sprintf("| %s | %d%% | %d%% | %s |", indicators[(start+i)%len(indicators)], plan, min(done, 100), verdict))
			w.b.WriteString("\n")
		}
	default:
		w.text("Chương trình dự kiến:")
		w.b.WriteString("\n\n| Thời gian | Nội dung | Thực hiện |\n|:---|:---|:---|\n")
		h, mi := 7, 30
		for i := 0; i < r.between(4, 8); i++ {
			w.text(fmt.Sprintf("| %dh%02d | %s | %s |", h, mi, capitalize(w.f.fill(r.pick(scheduleItems))), w.f.fill(r.pick(agencies))))
			w.b.WriteString("\n")
			mi += 15 * r.between(1, 4)
			h, mi = h+mi/60, mi%60
		}
	}
	w.b.WriteString("\n")
}

// writeBody writes the body of article i into b and returns its word count.
func writeBody(b *strings.Builder, seed int64, i int, m *meta) int {
	r := newRNG(seed, streamBody, i)
	w := &body{b: b, f: filler{r: r, m: m, t: getTables()}, seed: seed, index: i}
	// Most articles are short; a few are long reports.
	target := MinWords + int(float64(MaxWords-MinWords)*math.Pow(r.float(), 2.2))

	// The lead repeats the summary and goes on.
	w.text(m.Summary + " " + w.sentence())
	b.WriteString("\n\n")
	if target < 350 {
		for w.words < target-40 {
			w.paragraph(1, 3)
		}
		if r.chance(0.3) {
			w.list(false)
		}
		w.closing(target)
		return w.words
	}
	tableLeft := r.chance(0.3)
	listsLeft := r.between(0, 2)
	usedHeadings := map[int]bool{}
	for w.words < target-60 {
		k := r.intn(len(headings))
		for usedHeadings[k] && len(usedHeadings) < len(headings) {
			k = (k + 1) % len(headings)
		}
		usedHeadings[k] = true
		w.heading(2, headings[k])
		for p := r.between(1, 3); p > 0 && w.words < target-40; p-- {
			w.paragraph(2, 6)
		}
		if r.chance(0.15) && w.words < target-100 {
			w.heading(3, r.pick(subheadings))
			w.paragraph(2, 4)
		}
		if listsLeft > 0 && r.chance(0.4) {
			w.list(r.chance(0.4))
			listsLeft--
		}
		if tableLeft && r.chance(0.5) {
			w.table()
			tableLeft = false
		}
	}
	w.closing(target)
	return w.words
}

// closing pads the body up to its target length with a short final paragraph.
func (w *body) closing(target int) {
	if w.words >= target {
		return
	}
	for w.words < target {
		w.text(w.sentence())
		if w.words < target {
			w.b.WriteString(" ")
		}
	}
	w.b.WriteString("\n")
}
