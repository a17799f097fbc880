package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// manyWarnings is a report's worth of near-duplicate title warnings, one with a
// message.Text argument.
func manyWarnings(n int) []diag.Diagnostic {
	var ds diag.List
	for i := range n {
		ds.Warnf(fmt.Sprintf("content/tin-tuc/bai-%d.md", i), 2, 8, "near-duplicate-title", "tiêu đề gần trùng với %q (%s)", fmt.Sprintf("Bài số %d", i+1), "content/tin-tuc/khac.md")
	}
	ds.Warnf("content/tin-tuc/bai-0.md", 1, 1, "x", "%v", message.New("lỗi %d", 3))
	return ds.Items()
}

func sameDiagnostics(t *testing.T, got, want []diag.Diagnostic) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d diagnostics read back, want %d", len(got), len(want))
	}
	for i, d := range got {
		if d.String() != want[i].String() || d.Text(message.En) != want[i].Text(message.En) || d.Code != want[i].Code || d.Severity != want[i].Severity {
			t.Fatalf("diagnostic %d read back as %q (%q), want %q (%q)", i, d, d.Text(message.En), want[i], want[i].Text(message.En))
		}
	}
}

// A build with a change reads the keys of the record the last build left, not its
// report: at 100,000 articles the report holds ≈ 63,000 warnings, which such a build
// decoded for nothing. A build whose keys match reads the report whole.
func TestAsBeforeReportReadOnlyWhenKeysMatch(t *testing.T) {
	dir := t.TempDir()
	rec := asBeforeRecord{Keys: asBeforeKeys{Version: asBeforeVersion, Same: "same", Inputs: "inputs", Output: "output", Cache: "cache"},
		Report: savedReport{Diagnostics: manyWarnings(20000), Articles: 20000}}
	if err := writeAsBefore(dir, &rec); err != nil {
		t.Fatal(err)
	}
	other := func(k *asBeforeKeys) bool { return k.Inputs == "other inputs" }
	allocs := testing.AllocsPerRun(3, func() {
		if got, err := readAsBefore(dir, other); got != nil || !errors.Is(err, errNotAsBefore) {
			t.Fatalf("other keys: %v, %v", got, err)
		}
	})
	t.Logf("%.0f allocations to find the keys are not this build's", allocs)
	if allocs > 500 {
		t.Errorf("reading the keys of a record with %d warnings allocated %.0f times, want at most 500: the report was decoded", len(rec.Report.Diagnostics), allocs)
	}
	got, err := readAsBefore(dir, func(k *asBeforeKeys) bool { return k.Inputs == "inputs" && k.Same == "same" })
	if err != nil {
		t.Fatal(err)
	}
	if got.Keys != rec.Keys || got.Report.Articles != 20000 {
		t.Fatalf("read back: keys %+v, %d articles", got.Keys, got.Report.Articles)
	}
	sameDiagnostics(t, got.Report.Diagnostics, rec.Report.Diagnostics)
	// A record of another format is not read.
	rec.Keys.Version = asBeforeVersion - 1
	if err := writeAsBefore(dir, &rec); err != nil {
		t.Fatal(err)
	}
	if got, err := readAsBefore(dir, func(*asBeforeKeys) bool { return true }); got != nil || err == nil {
		t.Fatalf("version %d: %v, %v", rec.Keys.Version, got, err)
	}
}

// The report is written only when it changed: a build after a body edit reports what
// the last one did, and at 100,000 articles writing it again (67 MB with gob) was 0.3 s
// of the cache stage. Its keys are written every time, and name the report.
func TestAsBeforeReportWrittenOnlyWhenChanged(t *testing.T) {
	dir := t.TempDir()
	rec := asBeforeRecord{Keys: asBeforeKeys{Version: asBeforeVersion, Same: "same", Inputs: "inputs 1", Now: time.Unix(1000, 0)},
		Report: savedReport{Diagnostics: manyWarnings(500), Articles: 500}}
	report := filepath.Join(dir, asBeforeReportFile)
	if err := writeAsBefore(dir, &rec); err != nil {
		t.Fatal(err)
	}
	first, err := buildcache.Stat(report)
	if err != nil {
		t.Fatalf("no report file: %v", err)
	}
	time.Sleep(20 * time.Millisecond) // a file written again has other times
	rec.Keys.Inputs, rec.Keys.Now = "inputs 2", time.Unix(2000, 0)
	rec.Report.Diagnostics = manyWarnings(500) // equal, not the same slice
	if err := writeAsBefore(dir, &rec); err != nil {
		t.Fatal(err)
	}
	if again, err := buildcache.Stat(report); err != nil || again != first {
		t.Errorf("the same report was written again: %+v, then %+v (%v)", first, again, err)
	}
	got, err := readAsBefore(dir, func(k *asBeforeKeys) bool { return k.Inputs == "inputs 2" })
	if err != nil || got.Report.Articles != 500 || !got.Keys.Now.Equal(time.Unix(2000, 0)) {
		t.Fatalf("second record: %+v, %v", got, err)
	}
	sameDiagnostics(t, got.Report.Diagnostics, rec.Report.Diagnostics)
	// Another report is written.
	rec.Keys.Inputs = "inputs 3"
	rec.Report.Diagnostics = rec.Report.Diagnostics[1:]
	if err := writeAsBefore(dir, &rec); err != nil {
		t.Fatal(err)
	}
	if third, err := buildcache.Stat(report); err != nil || third == first {
		t.Errorf("a changed report was not written: %+v (%v)", third, err)
	}
	got, err = readAsBefore(dir, func(k *asBeforeKeys) bool { return k.Inputs == "inputs 3" })
	if err != nil {
		t.Fatal(err)
	}
	sameDiagnostics(t, got.Report.Diagnostics, rec.Report.Diagnostics)
}

// A report that is not the one its keys name — cut short by a crash of the system, or
// damaged — is not used, and is removed so that the next record writes it again; a
// report whose keys were never written (a build stopped between the two) is not read.
func TestAsBeforeDamagedReportIsNotUsed(t *testing.T) {
	rec := asBeforeRecord{Keys: asBeforeKeys{Version: asBeforeVersion, Same: "same", Inputs: "inputs"},
		Report: savedReport{Diagnostics: manyWarnings(300), Articles: 300}}
	match := func(k *asBeforeKeys) bool { return k.Inputs == "inputs" }
	damages := map[string]func([]byte) []byte{
		"cut short": func(b []byte) []byte { return b[:len(b)/2] },
		"one byte":  func(b []byte) []byte { b[len(b)-10] ^= 1; return b },
		"head only": func(b []byte) []byte { return b[:len(reportHead(rec.Keys.Report))+1] },
		"empty":     func([]byte) []byte { return nil },
		"another's sum": func(b []byte) []byte {
			return append([]byte(reportHead("0")+"\n"), b[len(reportHead(rec.Keys.Report))+1:]...)
		},
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeAsBefore(dir, &rec); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, asBeforeReportFile)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			if got, err := readAsBefore(dir, match); got != nil || err == nil {
				t.Fatalf("a damaged report was read: %v", err)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("the damaged report is still there (%v): the next record would not write it again", err)
			}
			if err := writeAsBefore(dir, &rec); err != nil {
				t.Fatal(err)
			}
			got, err := readAsBefore(dir, match)
			if err != nil {
				t.Fatalf("after the next record: %v", err)
			}
			sameDiagnostics(t, got.Report.Diagnostics, rec.Report.Diagnostics)
		})
	}
	t.Run("no keys", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeAsBefore(dir, &rec); err != nil {
			t.Fatal(err)
		}
		dropHint(dir, asBeforeFile) // as a build that starts; it stops before its record
		if got, err := readAsBefore(dir, func(*asBeforeKeys) bool { return true }); got != nil || err == nil {
			t.Fatalf("a report without keys was read: %v", err)
		}
	})
}

// Diagnostics with an argument the findings' form cannot hold are written with gob, as
// the whole record was.
func TestAsBeforeReportWithOtherArgumentsRoundTrips(t *testing.T) {
	var ds diag.List
	ds.Warnf("a.md", 1, 2, "x", "số %d, %v", uint(7), []string{"a", "b"})
	ds.Errorf("b.md", 3, 4, "y", "tệp %s", "b.md")
	r := savedReport{Diagnostics: ds.Items(), Articles: 2, Files: 9}
	b, err := encodeReport(&r)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != reportGob {
		t.Fatalf("report kind %q, want gob", b[0])
	}
	got, err := decodeReport(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Articles != 2 || got.Files != 9 {
		t.Fatalf("read back %+v", got)
	}
	sameDiagnostics(t, got.Diagnostics, r.Diagnostics)
}
