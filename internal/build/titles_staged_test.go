package build

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// unformatted are n findings as the title rule leaves them: without their message,
// which encoding a finding formats.
func unformatted(n int) []diag.Diagnostic {
	ds := testFindings(n)
	for i := range ds {
		if i%5 != 0 { // a few formatted already
			ds[i].Message = ""
		}
	}
	return ds
}

// Into a staged file the findings block is written in one pass, its length set at its
// place afterwards: the file holds the very block writeTitlesBlock writes of the whole
// encoding, between what comes before and after it, whether the reserved length was
// still in the buffer or already flushed when it was set.
func TestStagedFindingsBlockIsTheBlock(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 3, 2000} {
		for _, before := range []string{"portal-titles 4 bin key\n", strings.Repeat("đầu", 3000) + "\n"} {
			ds := unformatted(n)
			var want bytes.Buffer
			want.WriteString(before)
			if err := writeTitlesBlock(&want, appendFindings(nil, ds)); err != nil {
				t.Fatal(err)
			}
			want.WriteString("sau")
			err := writeAtomic(dir, "x.bin", func(w io.Writer) error {
				if _, err := io.WriteString(w, before); err != nil {
					return err
				}
				if err := writeFindingsBlock(w, ds); err != nil {
					return err
				}
				_, err := io.WriteString(w, "sau")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, "x.bin"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("%d findings after %d bytes: the staged file (%d bytes) is not the block (%d bytes)", n, len(before), len(got), want.Len())
			}
		}
	}
}

// Writing the titles file formats each finding's message once, not once to count the
// block's length and once more to write it (two formattings of every finding were ~2 %
// of a title edit's CPU at 30,000 articles).
func TestStagedFindingsBlockFormatsEachMessageOnce(t *testing.T) {
	const n = 2000
	ds := unformatted(n)
	once := testing.AllocsPerRun(2, func() {
		for _, d := range ds {
			if d.Message == "" {
				_ = d.Text(message.Vi)
			}
		}
	})
	dir := t.TempDir()
	write := testing.AllocsPerRun(2, func() {
		if err := writeAtomic(dir, "x.bin", func(w io.Writer) error { return writeFindingsBlock(w, ds) }); err != nil {
			t.Fatal(err)
		}
	})
	if want := once + n/4; write > want {
		t.Errorf("writing %d findings allocated %.0f times; formatting their messages once is %.0f: want at most %.0f", n, write, once, want)
	}
}
