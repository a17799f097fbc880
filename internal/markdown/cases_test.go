package markdown

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the expected HTML of testdata/cases/*.txt with what Render produces")

// TestCases renders the Markdown cases of testdata/cases/*.txt and compares the
// whole HTML with the expected HTML, byte for byte.
//
// The files follow goldmark's _test/*.txt. A file starts with an optional
// preamble (free text up to the first case header, kept as is), then holds cases
// separated by blank lines:
//
//	N:description
//	options: unsafe
//	//- - - - - - - - -//
//	Markdown input
//	//- - - - - - - - -//
//	expected HTML: the whole Result.HTML of Render
//	//= = = = = = = = = = = = = = = = = = = = = = = =//
//
// N is a number unique within its file; run one case with
// `go test ./internal/markdown -run 'Cases/gfm/3'`. The options line is optional;
// its words are
//
//	unsafe  render with Options{Unsafe: true} (raw HTML kept, sanitized)
//	photos  resolve every image whose destination ends in .jpg or .png to a test
//	        Picture (casePictures) and load the first one eagerly, as a build does
//	nfd     decompose the input to NFD before rendering (case files themselves
//	        must be NFC, which the runner checks), to show Render normalises it
//
// Input and HTML are read line by line, byte for byte (trailing spaces count),
// each line ending in "\n". A last line "\ No newline at end of file", as in
// diff, removes the final newline; no lines at all is the empty string.
//
// On a mismatch the test prints a line diff (- expected, + got) and the input.
// `go test ./internal/markdown -run Cases -update` rewrites the expected HTML of
// every case with the current output (and the files in the canonical layout).
// Read the resulting `git diff` before committing: the expected HTML must be
// right, not merely what the renderer does today.
func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no case files in testdata/cases")
	}
	renderers := map[bool]*Renderer{false: New(Options{}), true: New(Options{Unsafe: true})}
	total := 0
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			cf := readCaseFile(t, file)
			total += len(cf.cases)
			for i := range cf.cases {
				c := &cf.cases[i]
				t.Run(strconv.Itoa(c.no), func(t *testing.T) {
					src := c.input
					if c.nfd {
						src = norm.NFD.String(src)
					}
					pg := Page{Images: NoImages{}}
					if c.photos {
						pg = Page{Images: casePictures{}, EagerFirst: true}
					}
					res, err := renderers[c.unsafe].RenderPage([]byte(src), pg)
					if err != nil {
						t.Fatalf("%s:%d: Render: %v", file, c.line, err)
					}
					got := string(res.HTML)
					if *update {
						c.want = got
						return
					}
					if got != c.want {
						t.Errorf("%s:%d: case %d (%s): HTML differs (- expected, + got):\n%s\nMarkdown input%s:\n%s\n"+
							"If the new HTML is right, run `go test ./internal/markdown -run Cases -update` and review the diff.",
							file, c.line, c.no, c.desc, lineDiff(blockLines(c.want), blockLines(got)),
							optionsNote(c), strings.Join(blockLines(c.input), "\n"))
					}
				})
			}
			if *update {
				if err := os.WriteFile(file, cf.format(t), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	if total == 0 {
		t.Fatal("the case files hold no cases")
	}
}

const (
	caseSep         = "//- - - - - - - - -//"
	caseEnd         = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
	noFinalNewline  = `\ No newline at end of file`
	caseOptionsHead = "options:"
)

var caseHeader = regexp.MustCompile(`^(\d+):(.*)$`)

type caseFile struct {
	preamble []string
	cases    []mdCase
}

type mdCase struct {
	no          int
	desc        string
	line        int // line of the header in the file
	unsafe, nfd bool
	photos      bool
	input, want string
}

// readCaseFile parses a case file; a malformed file fails the test.
func readCaseFile(t *testing.T, file string) *caseFile {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	switch {
	case !utf8.ValidString(s):
		t.Fatalf("%s: not valid UTF-8", file)
	case strings.Contains(s, "\r"):
		t.Fatalf("%s: has a carriage return; case files use \\n line endings", file)
	case !norm.NFC.IsNormalString(s):
		t.Fatalf("%s: not in NFC; write NFC text and use `options: nfd` to test decomposed input", file)
	case !strings.HasSuffix(s, "\n"):
		t.Fatalf("%s: does not end with a newline", file)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	cf := &caseFile{}
	seen := map[int]int{}
	i := 0
	for ; i < len(lines) && !caseHeader.MatchString(lines[i]); i++ {
		cf.preamble = append(cf.preamble, lines[i])
	}
	// block reads lines up to the line end, which it consumes.
	block := func(end string) []string {
		start := i
		for ; i < len(lines); i++ {
			if lines[i] == end {
				i++
				return lines[start : i-1]
			}
		}
		t.Fatalf("%s:%d: no %q after this line", file, start, end)
		return nil
	}
	for i < len(lines) {
		if lines[i] == "" {
			i++
			continue
		}
		m := caseHeader.FindStringSubmatch(lines[i])
		if m == nil {
			t.Fatalf("%s:%d: want a case header N:description, got %q", file, i+1, lines[i])
		}
		c := mdCase{desc: strings.TrimSpace(m[2]), line: i + 1}
		c.no, _ = strconv.Atoi(m[1])
		if prev, dup := seen[c.no]; dup {
			t.Fatalf("%s:%d: case %d already used on line %d", file, i+1, c.no, prev)
		}
		seen[c.no] = i + 1
		i++
		if i < len(lines) && strings.HasPrefix(lines[i], caseOptionsHead) {
			for _, o := range strings.FieldsFunc(strings.TrimPrefix(lines[i], caseOptionsHead), func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
				switch o {
				case "unsafe":
					c.unsafe = true
				case "nfd":
					c.nfd = true
				case "photos":
					c.photos = true
				default:
					t.Fatalf("%s:%d: unknown option %q (known: unsafe, nfd, photos)", file, i+1, o)
				}
			}
			i++
		}
		if i >= len(lines) || lines[i] != caseSep {
			t.Fatalf("%s:%d: want %q after the header of case %d", file, i+1, caseSep, c.no)
		}
		i++
		c.input = blockText(block(caseSep))
		c.want = blockText(block(caseEnd))
		cf.cases = append(cf.cases, c)
	}
	return cf
}

// format writes the file back in the canonical layout, with each case's want.
func (cf *caseFile) format(t *testing.T) []byte {
	var b strings.Builder
	pre := cf.preamble
	for len(pre) > 0 && pre[len(pre)-1] == "" {
		pre = pre[:len(pre)-1]
	}
	for _, l := range pre {
		b.WriteString(l + "\n")
	}
	for i, c := range cf.cases {
		if i > 0 || len(pre) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d:%s\n", c.no, c.desc)
		var opts []string
		if c.unsafe {
			opts = append(opts, "unsafe")
		}
		if c.photos {
			opts = append(opts, "photos")
		}
		if c.nfd {
			opts = append(opts, "nfd")
		}
		if len(opts) > 0 {
			b.WriteString(caseOptionsHead + " " + strings.Join(opts, " ") + "\n")
		}
		b.WriteString(caseSep + "\n")
		for _, part := range []struct{ text, end string }{{c.input, caseSep}, {c.want, caseEnd}} {
			for _, l := range blockLines(part.text) {
				if l == caseSep || l == caseEnd {
					t.Fatalf("case %d: a line of its input or HTML is a case separator", c.no)
				}
				b.WriteString(l + "\n")
			}
			b.WriteString(part.end + "\n")
		}
	}
	return []byte(b.String())
}

// blockText joins the lines of an input or HTML block (see TestCases).
func blockText(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	if lines[len(lines)-1] == noFinalNewline {
		return strings.Join(lines[:len(lines)-1], "\n")
	}
	return strings.Join(lines, "\n") + "\n"
}

// blockLines is the inverse of blockText.
func blockLines(s string) []string {
	if s == "" {
		return nil
	}
	if strings.HasSuffix(s, "\n") {
		return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	}
	return append(strings.Split(s, "\n"), noFinalNewline)
}

// lineDiff returns a line diff of want and got: "  " before a common line,
// "- " before a line only in want, "+ " before a line only in got. Lines with
// trailing blanks or invisible characters are shown quoted.
func lineDiff(want, got []string) string {
	// lcs[i][j] is the length of the longest common subsequence of want[i:] and got[j:].
	lcs := make([][]int, len(want)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(got)+1)
	}
	for i := len(want) - 1; i >= 0; i-- {
		for j := len(got) - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case i < len(want) && j < len(got) && want[i] == got[j]:
			b.WriteString("  " + showLine(want[i]) + "\n")
			i++
			j++
		case j >= len(got) || (i < len(want) && lcs[i+1][j] >= lcs[i][j+1]):
			b.WriteString("- " + showLine(want[i]) + "\n")
			i++
		default:
			b.WriteString("+ " + showLine(got[j]) + "\n")
			j++
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func showLine(s string) string {
	if strings.TrimRight(s, " \t") != s || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != '\t' }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

func optionsNote(c *mdCase) string {
	var o []string
	if c.unsafe {
		o = append(o, "unsafe")
	}
	if c.photos {
		o = append(o, "photos")
	}
	if c.nfd {
		o = append(o, "nfd")
	}
	if len(o) == 0 {
		return ""
	}
	return " (options: " + strings.Join(o, " ") + ")"
}

// casePictures stands for a build's images in the photos cases: "x.jpg" (any folder)
// is published as 360 and 720 px variants of a 4:3 photo, "x.png" as a 300×200 graphic.
type casePictures struct{}

func (casePictures) Picture(dest string) (Picture, bool) {
	if strings.Contains(dest, "://") {
		return Picture{}, false
	}
	stem := strings.TrimSuffix(filepath.Base(dest), filepath.Ext(dest))
	switch filepath.Ext(dest) {
	case ".jpg":
		u := func(w int, ext string) string { return fmt.Sprintf("/_anh/%s.%d.0123456789%s", stem, w, ext) }
		return Picture{Src: u(720, ".jpg"), Width: 720, Height: 540,
			SrcSet:     u(360, ".jpg") + " 360w, " + u(720, ".jpg") + " 720w",
			WebPSrcSet: u(360, ".webp") + " 360w, " + u(720, ".webp") + " 720w"}, true
	case ".png":
		u := "/_anh/" + stem + ".300.0123456789"
		return Picture{Src: u + ".png", Width: 300, Height: 200, SrcSet: u + ".png 300w", WebPSrcSet: u + ".webp 300w"}, true
	}
	return Picture{}, false
}
