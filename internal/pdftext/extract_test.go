package pdftext

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// decision is the text bench/pdfgen writes into the fixtures (its Decision constant),
// read from the Markdown the Chromium fixture was printed from.
func decision(t *testing.T) string {
	t.Helper()
	md, err := os.ReadFile("testdata/decision.md")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(md), "# ", "")
}

func extractFile(t *testing.T, name string, lim Limits) (Text, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return extractor(t).Extract(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
}

// TestReadsVietnameseFromEachProducer reads the same decision as written by Chromium's
// print to PDF, by a pure-Go writer (fpdf, a subset TrueType font with a ToUnicode map),
// encrypted with an owner password only (RC4 by fpdf, AES-256 by qpdf): these open
// without a password, as many official PDFs do. Every word comes back, in order, with
// its diacritics, in NFC.
func TestReadsVietnameseFromEachProducer(t *testing.T) {
	want := strings.Fields(decision(t))
	for _, name := range []string{"decision.pdf", "text.pdf", "owner.pdf", "aes256-owner.pdf"} {
		t.Run(name, func(t *testing.T) {
			got, err := extractFile(t, name, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if got.Pages != 1 || got.Read != 1 || got.Blank != 0 || got.Truncated {
				t.Errorf("pages %d, read %d, blank %d, truncated %v; want 1, 1, 0, false", got.Pages, got.Read, got.Blank, got.Truncated)
			}
			if !vietnamese.IsNFC(got.Text) {
				t.Error("text is not NFC")
			}
			if words := strings.Fields(got.Text); strings.Join(words, " ") != strings.Join(want, " ") {
				t.Errorf("words differ:\n got %q\nwant %q", words, want)
			}
			for _, phrase := range []string{"Nghị định số 64/2007/NĐ-CP", "Ủy ban nhân dân tỉnh quyết định:", "Số: 2599/QĐ-UBND"} {
				if !strings.Contains(strings.Join(strings.Fields(got.Text), " "), phrase) {
					t.Errorf("no %q in %q", phrase, got.Text)
				}
			}
			if strings.Contains(got.Text, "\r") || strings.Contains(got.Text, "  ") || strings.Contains(got.Text, "\n\n") {
				t.Errorf("text keeps carriage returns, double spaces or empty lines: %q", got.Text)
			}
		})
	}
}

// TestDecomposedTextComesBackNFC: a PDF whose text layer holds decomposed letters
// (some producers write a base letter and combining marks) gives NFC.
func TestDecomposedTextComesBackNFC(t *testing.T) {
	in := "Nghi\u0323 đi\u0323nh\r\nso\u0302\u0301  64\u00a0/2007"
	if got, want := clean(in), "Nghị định\nsố 64 /2007"; got != want {
		t.Fatalf("clean(%q) = %q, want %q", in, got, want)
	}
}

func TestCleanKeepsOnlyText(t *testing.T) {
	for in, want := range map[string]string{
		"  a \t b  \r\n\r\n\r\n c ":    "a b\nc",
		"đi\u00adều\u200b 1\x00\x02":   "điều 1",
		"\ufeffQuyết\ue000 định\ufffd": "Quyết định",
		"x\u2028y\u3000z":              "x\ny z",
		"a\xffb":                       "ab",
		"\n\n":                         "",
		"Căn cứ\r\nLuật\r\n":           "Căn cứ\nLuật",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCutAtARuneBoundary(t *testing.T) {
	s := "Điều 1. Phê duyệt"
	for n := 0; n <= len(s)+1; n++ {
		got := cut(s, n)
		if !utf8.ValidString(got) || (n > 0 && len(got) > n) || !strings.HasPrefix(s, got) {
			t.Fatalf("cut(%q, %d) = %q", s, n, got)
		}
	}
	if cut(s, 0) != s {
		t.Error("cut with no limit changed the text")
	}
}

// TestEachFailureSaysWhatToDo: each kind of unreadable PDF has its own kind and a
// Vietnamese message that names the remedy, with an English translation.
func TestEachFailureSaysWhatToDo(t *testing.T) {
	for _, c := range []struct {
		file string
		kind Kind
		vi   string // a word of the remedy
		en   string
	}{
		{"password.pdf", Encrypted, "không đặt mật khẩu", "without a password"},
		{"aes256-password.pdf", Encrypted, "không đặt mật khẩu", "without a password"},
		{"scan.pdf", Scanned, "OCR", "OCR"},
		{"blank.pdf", NoText, "không có chữ nào", "no text"},
	} {
		t.Run(c.file, func(t *testing.T) {
			got, err := extractFile(t, c.file, DefaultLimits())
			if err == nil {
				t.Fatalf("read %q, want a %v error", got.Text, c.kind)
			}
			if k := KindOf(err); k != c.kind {
				t.Fatalf("kind %v (%v), want %v", k, err, c.kind)
			}
			if got != (Text{}) {
				t.Errorf("text %+v with an error", got)
			}
			if !strings.Contains(err.Error(), c.vi) {
				t.Errorf("message %q lacks %q", err, c.vi)
			}
			if en := message.En.Error(err); !strings.Contains(en, c.en) || en == err.Error() {
				t.Errorf("English %q lacks %q", en, c.en)
			}
			if !c.kind.Lasting() {
				t.Errorf("%v is not lasting", c.kind)
			}
		})
	}
}

// TestMixedDocumentCountsItsScannedPages: a text page and a scanned annex give the text
// and one blank page.
func TestMixedDocumentCountsItsScannedPages(t *testing.T) {
	got, err := extractFile(t, "mixed.pdf", DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got.Pages != 2 || got.Read != 2 || got.Blank != 1 {
		t.Errorf("pages %d, read %d, blank %d; want 2, 2, 1", got.Pages, got.Read, got.Blank)
	}
	if !strings.Contains(got.Text, "64/2007/NĐ-CP") || strings.Contains(got.Text, PageBreak) {
		t.Errorf("text %q", got.Text)
	}
}

func TestDamagedFiles(t *testing.T) {
	data, err := os.ReadFile("testdata/text.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ex := extractor(t)
	for name, in := range map[string][]byte{
		"html":      []byte("<!doctype html><p>Quyết định</p>"),
		"empty":     nil,
		"header":    data[:9],
		"truncated": data[:len(data)/20],
		"garbage":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("\x00\xff obj << /Type"), 500)...),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ex.Extract(context.Background(), bytes.NewReader(in), int64(len(in)), DefaultLimits())
			want := Damaged
			if !bytes.HasPrefix(in, []byte("%PDF-")) {
				want = NotPDF
			}
			if KindOf(err) != want || !want.Lasting() {
				t.Fatalf("got %+v, %v; want %v", got, err, want)
			}
			if !strings.Contains(err.Error(), "xuất lại") {
				t.Errorf("message %q does not say to export again", err)
			}
		})
	}
}

// TestTruncatedTailIsRepairedOrRefused: a file cut anywhere gives its text (the engine
// repairs a lost cross-reference table) or a Damaged error, never a panic or another kind.
func TestTruncatedTailIsRepairedOrRefused(t *testing.T) {
	data, err := os.ReadFile("testdata/decision.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ex := extractor(t)
	repaired := 0
	for _, n := range []int{len(data) - 1, len(data) - 200, len(data) * 3 / 4, len(data) / 2, len(data) / 4} {
		got, err := ex.Extract(context.Background(), bytes.NewReader(data[:n]), int64(n), DefaultLimits())
		switch KindOf(err) {
		case 0:
			repaired++
			if !vietnamese.IsNFC(got.Text) || got.Text == "" {
				t.Errorf("%d bytes: text %q", n, got.Text)
			}
		case Damaged, NoText:
		default:
			t.Errorf("%d bytes: %v (%v)", n, err, KindOf(err))
		}
	}
	if repaired == 0 {
		t.Error("no truncated file was repaired: the xref repair is not reached")
	}
}

type failingReader struct{}

func (failingReader) ReadAt([]byte, int64) (int, error) { return 0, errors.New("read") }

func TestLimits(t *testing.T) {
	ex := extractor(t)
	t.Run("bytes", func(t *testing.T) {
		// Refused before a byte is read.
		_, err := ex.Extract(context.Background(), failingReader{}, 60<<20, DefaultLimits())
		if KindOf(err) != TooLarge || !strings.Contains(err.Error(), "60 MB") || !strings.Contains(err.Error(), "50 MB") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unreadable", func(t *testing.T) {
		_, err := ex.Extract(context.Background(), failingReader{}, 100, DefaultLimits())
		if KindOf(err) != Unreadable || KindOf(err).Lasting() || !strings.Contains(err.Error(), "không đọc được tệp PDF: read") {
			t.Fatalf("got %v (%v)", err, KindOf(err))
		}
	})
	t.Run("pages", func(t *testing.T) {
		lim := DefaultLimits()
		lim.MaxPages = 5
		got, err := extractFile(t, "pages.pdf", lim)
		if err != nil {
			t.Fatal(err)
		}
		if got.Pages != 40 || got.Read != 5 || !got.Truncated || strings.Count(got.Text, PageBreak) != 4 {
			t.Errorf("pages %d, read %d, truncated %v, %d breaks", got.Pages, got.Read, got.Truncated, strings.Count(got.Text, PageBreak))
		}
		if !strings.Contains(got.Text, "Trang 5: Điều 5") || strings.Contains(got.Text, "Trang 6") {
			t.Errorf("text %q", got.Text)
		}
	})
	t.Run("all pages", func(t *testing.T) {
		got, err := extractFile(t, "pages.pdf", DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if got.Read != 40 || got.Truncated || !strings.HasSuffix(got.Text, "Trang 40: Điều 40 của quy chế.") {
			t.Errorf("read %d, truncated %v, text ends %q", got.Read, got.Truncated, got.Text[max(0, len(got.Text)-40):])
		}
	})
	t.Run("text", func(t *testing.T) {
		lim := DefaultLimits()
		lim.MaxText = 101
		got, err := extractFile(t, "decision.pdf", lim)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Text) > 101 || len(got.Text) < 90 || !utf8.ValidString(got.Text) || !got.Truncated {
			t.Errorf("%d bytes, truncated %v: %q", len(got.Text), got.Truncated, got.Text)
		}
	})
}

// TestTimeStops: a document over its time limit, or whose ctx ends, is stopped with a
// Stopped error (not kept in a cache), and the Extractor goes on working.
func TestTimeStops(t *testing.T) {
	ex := extractor(t)
	data, err := os.ReadFile("testdata/pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits()
	lim.Timeout = time.Nanosecond // over before reading starts, however fast the machine
	_, err = ex.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
	if KindOf(err) != Stopped || KindOf(err).Lasting() || !strings.Contains(err.Error(), "1ns") {
		t.Fatalf("got %v (%v), want stopped after 1ns", err, KindOf(err))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ex.Extract(ctx, bytes.NewReader(data), int64(len(data)), DefaultLimits()); KindOf(err) != Stopped || !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled: got %v", err)
	}
	// Cancelled while reading: the instance is killed mid-document.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(2*time.Millisecond, cancel)
	if got, err := ex.Extract(ctx, bytes.NewReader(data), int64(len(data)), DefaultLimits()); err == nil && got.Read != 40 {
		t.Fatalf("no error but read %d of 40 pages", got.Read)
	}
	got, err := ex.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultLimits())
	if err != nil || got.Read != 40 {
		t.Fatalf("after stops: read %d, %v", got.Read, err)
	}
}

func TestConcurrentDocuments(t *testing.T) {
	files := []string{"decision.pdf", "text.pdf", "owner.pdf", "pages.pdf", "scan.pdf", "password.pdf"}
	want := map[string]string{}
	for _, f := range files {
		got, err := extractFile(t, f, DefaultLimits())
		want[f] = got.Text + "|" + KindOf(err).String()
	}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := files[i%len(files)]
			got, err := extractFile(t, f, DefaultLimits())
			if g := got.Text + "|" + KindOf(err).String(); g != want[f] {
				t.Errorf("%s in parallel: %.60q, alone %.60q", f, g, want[f])
			}
		}()
	}
	wg.Wait()
}

func TestKeyChangesWithWhatChangesTheText(t *testing.T) {
	var a, b [32]byte
	b[0] = 1
	lim := DefaultLimits()
	k := Key(a, lim)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(k) || k != Key(a, lim) {
		t.Fatalf("key %q not a stable SHA-256", k)
	}
	other := []Limits{lim, lim, lim}
	other[0].MaxBytes++
	other[1].MaxPages++
	other[2].MaxText++
	seen := map[string]bool{k: true, Key(b, lim): true}
	for _, l := range other {
		seen[Key(a, l)] = true
	}
	if len(seen) != 5 {
		t.Errorf("%d distinct keys of 5", len(seen))
	}
	slow := lim
	slow.Timeout *= 2
	if Key(a, slow) != k {
		t.Error("the timeout changed the key")
	}
}

func TestKinds(t *testing.T) {
	for k := Damaged; k <= Engine; k++ {
		if k.String() == "unknown" {
			t.Errorf("kind %d has no name", k)
		}
		if k.Lasting() != (k < Stopped) {
			t.Errorf("%v: lasting %v", k, k.Lasting())
		}
	}
	if KindOf(errors.New("x")) != 0 || KindOf(nil) != 0 {
		t.Error("KindOf of a foreign error")
	}
}

// TestStopBetweenPages: the faster engine reads the same text and still honours the
// time limit and ctx, at page boundaries.
func TestStopBetweenPages(t *testing.T) {
	fast := pageStopper(t)
	files, err := filepath.Glob("testdata/*.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := extractor(t).Extract(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultLimits())
		got, gerr := fast.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if got != want || KindOf(gerr) != KindOf(werr) {
			t.Errorf("%s: %+v, %v; interrupting engine: %+v, %v", f, got, gerr, want, werr)
		}
	}
	data, err := os.ReadFile("testdata/pages.pdf")
	if err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits()
	// A limit already over when reading starts: a millisecond was enough for a quiet
	// machine to read all 40 pages with a warm engine (the test failed in CI).
	lim.Timeout = time.Nanosecond
	if _, err := fast.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), lim); KindOf(err) != Stopped {
		t.Fatalf("got %v, want stopped", err)
	}
	if got, err := fast.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultLimits()); err != nil || got.Read != 40 {
		t.Fatalf("after a stop: read %d, %v", got.Read, err)
	}
}

// TestLastingErrorsKeepInACache: a lasting *Error encoded as JSON (as a build's cache
// would keep it) prints the same message in both languages when decoded.
func TestLastingErrorsKeepInACache(t *testing.T) {
	for _, name := range []string{"scan.pdf", "blank.pdf", "password.pdf"} {
		_, err := extractFile(t, name, DefaultLimits())
		var e *Error
		if !errors.As(err, &e) || !e.Kind.Lasting() {
			t.Fatalf("%s: %v", name, err)
		}
		data, jerr := json.Marshal(e)
		if jerr != nil {
			t.Fatal(jerr)
		}
		var back *Error
		if jerr := json.Unmarshal(data, &back); jerr != nil {
			t.Fatal(jerr)
		}
		if back.Error() != e.Error() || message.En.Error(back) != message.En.Error(e) || back.Kind != e.Kind {
			t.Errorf("%s: %s gives %q / %q, want %q / %q", name, data, back, message.En.Error(back), e, message.En.Error(e))
		}
	}
	big := errTooLarge(60<<20+1, 50<<20)
	data, _ := json.Marshal(big)
	var back Error
	if err := json.Unmarshal(data, &back); err != nil || back.Error() != big.Error() {
		t.Errorf("too large: %s gives %q, want %q", data, back.Error(), big)
	}
}
