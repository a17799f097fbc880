package importer

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Review is the marker written next to front matter fields that need a person's attention,
// so that editors can search the content folder for it.
const Review = "CẦN XEM LẠI"

// Slug is the file name of the article without ".md": the slug of its title.
func (a Article) Slug() string { return vietnamese.Slug(a.Title) }

// Markdown returns the article as a Markdown file with YAML front matter, NFC, LF line
// ends; reading it back with content.Parse gives the same values. A missing date is written as date: "" with draft: true, and a missing byline as
// author: "", each with a "# CẦN XEM LẠI" comment, so that the file is valid but cannot be
// published unnoticed.
func (a Article) Markdown() []byte {
	var b strings.Builder
	b.WriteString("---\n")
	field := func(key, value string) { fmt.Fprintf(&b, "%s: %s\n", key, yamlQuote(vietnamese.NFC(value))) }
	field("title", a.Title)
	if a.Date.IsZero() {
		b.WriteString("date: \"\" # " + Review + ": không tìm thấy ngày đăng trong bài gốc\n")
		b.WriteString("draft: true # bỏ dòng này khi đã điền ngày\n")
	} else {
		b.WriteString("date: " + a.Date.In(vietnamese.Location()).Format(time.RFC3339) + "\n")
	}
	switch {
	case a.Author != "":
		field("author", a.Author)
	case !isOffice(a.Source):
		b.WriteString("author: \"\" # " + Review + ": bài gốc không ghi tác giả\n")
	}
	if a.Source != "" {
		field("source", a.Source)
	}
	field("summary", a.Summary)
	list := func(key string, values []string) {
		if len(values) == 0 {
			b.WriteString(key + ": []\n")
			return
		}
		b.WriteString(key + ":\n")
		for _, v := range values {
			b.WriteString("  - " + yamlQuote(vietnamese.NFC(v)) + "\n")
		}
	}
	list("provinces", a.Provinces)
	list("categories", a.Categories)
	list("tags", a.Tags)
	b.WriteString("---\n")
	for _, p := range a.Body {
		b.WriteString("\n")
		b.WriteString(EscapeParagraph(vietnamese.NFC(p)))
		b.WriteString("\n")
	}
	// Each value is NFC and the escapes add no letters a mark could combine with, so the
	// whole file is NFC without normalizing it again (which could change the values).
	return []byte(b.String())
}

// yamlQuote writes s as a YAML double-quoted scalar. Characters that are not printable
// (controls, line and paragraph separators, format characters) are escaped, and so is a
// combining mark at the start or right after an escape: written as is, it would combine
// with the quote or the escape's last letter when the file is normalized ("\t" + U+0323
// would become "\ṭ").
func yamlQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	escaped := true // the opening quote counts as an escape
	for _, r := range s {
		was := escaped
		escaped = true
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case (r == ' ' || unicode.IsPrint(r)) && r != utf8.RuneError && !(was && unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)):
			b.WriteRune(r)
			escaped = false
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// EscapeParagraph makes one paragraph of plain text safe to write as Markdown: it keeps
// the text as it is and adds backslashes only where Markdown would otherwise read the
// text as markup, so the rendered paragraph shows exactly the original words:
//
//   - at the start of each line: "# " (heading), "- ", "+ ", "* " (list), "1. " and
//     "1) " (ordered list), ">" (quote), lines of only "-", "=", "*", "_" (rules and
//     underlines), "`" and "~~~" (code), "[" (a link reference definition) and "|" (a
//     table);
//   - anywhere: "<" before a letter, "/", "!" or "?" (raw HTML, which the site drops).
//
// Lines are trimmed, so indentation never makes a code block.
func EscapeParagraph(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		l = strings.TrimFunc(l, unicode.IsSpace)
		lines[i] = escapeHTML(escapeLineStart(l))
	}
	return strings.Join(lines, "\n")
}

func escapeLineStart(l string) string {
	if l == "" {
		return l
	}
	if strings.Trim(l, "=-*_ \t") == "" {
		return `\` + l // a thematic break or a setext underline
	}
	spaceAt := func(i int) bool { return i >= len(l) || l[i] == ' ' || l[i] == '\t' }
	switch l[0] {
	case '>', '`', '[', '|':
		return `\` + l
	case '~':
		if strings.HasPrefix(l, "~~~") {
			return `\` + l
		}
	case '#':
		n := len(l) - len(strings.TrimLeft(l, "#"))
		if n <= 6 && spaceAt(n) {
			return `\` + l
		}
	case '-', '+', '*':
		if spaceAt(1) {
			return `\` + l
		}
	}
	// An ordered list marker: one to nine digits, then "." or ")", then a space.
	n := len(l) - len(strings.TrimLeft(l, "0123456789"))
	if n > 0 && n < 10 && n < len(l) && (l[n] == '.' || l[n] == ')') && spaceAt(n+1) {
		return l[:n] + `\` + l[n:]
	}
	return l
}

func escapeHTML(l string) string {
	if !strings.Contains(l, "<") {
		return l
	}
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		if l[i] == '<' && i+1 < len(l) {
			next, _ := utf8.DecodeRuneInString(l[i+1:])
			if unicode.IsLetter(next) || next == '/' || next == '!' || next == '?' {
				b.WriteString(`\<`)
				continue
			}
		}
		b.WriteByte(l[i])
	}
	return b.String()
}
