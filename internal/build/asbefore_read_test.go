package build

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/vnportal/portal/internal/diag"
)

// A build with a change reads the keys of the record the last build left, not its
// report: at 100,000 articles the report holds ≈ 63,000 warnings, which such a build
// decoded for nothing. A build whose keys match reads the report whole.
func TestAsBeforeReportReadOnlyWhenKeysMatch(t *testing.T) {
	var ds diag.List
	for i := range 20000 {
		ds.Warnf(fmt.Sprintf("content/tin-tuc/bai-%d.md", i), 2, 8, "near-duplicate-title", "tiêu đề gần trùng với %q (%s)", fmt.Sprintf("Bài số %d", i+1), "content/tin-tuc/khac.md")
	}
	rec := asBeforeRecord{Keys: asBeforeKeys{Version: asBeforeVersion, Same: "same", Inputs: "inputs", Output: "output", Cache: "cache"},
		Report: savedReport{Diagnostics: ds.Items(), Articles: 20000}}
	var buf bytes.Buffer
	if err := writeAsBefore(&buf, &rec); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	other := func(k *asBeforeKeys) bool { return k.Inputs == "other inputs" }
	allocs := testing.AllocsPerRun(3, func() {
		if got, err := readAsBefore(bytes.NewReader(file), other); got != nil || !errors.Is(err, errNotAsBefore) {
			t.Fatalf("other keys: %v, %v", got, err)
		}
	})
	t.Logf("%d bytes of record, %.0f allocations to find its keys are not this build's", len(file), allocs)
	if allocs > 500 {
		t.Errorf("reading the keys of a record with %d warnings allocated %.0f times, want at most 500: the report was decoded", len(rec.Report.Diagnostics), allocs)
	}
	got, err := readAsBefore(bytes.NewReader(file), func(k *asBeforeKeys) bool { return k.Inputs == "inputs" && k.Same == "same" })
	if err != nil {
		t.Fatal(err)
	}
	if got.Keys != rec.Keys || got.Report.Articles != 20000 || len(got.Report.Diagnostics) != len(rec.Report.Diagnostics) {
		t.Fatalf("read back: keys %+v, %d articles, %d diagnostics", got.Keys, got.Report.Articles, len(got.Report.Diagnostics))
	}
	for i, d := range got.Report.Diagnostics {
		if d.String() != rec.Report.Diagnostics[i].String() {
			t.Fatalf("diagnostic %d read back as %q, want %q", i, d, rec.Report.Diagnostics[i])
		}
	}
	// A record of another format is not read.
	buf.Reset()
	rec.Keys.Version = asBeforeVersion - 1
	if err := writeAsBefore(&buf, &rec); err != nil {
		t.Fatal(err)
	}
	if got, err := readAsBefore(bytes.NewReader(buf.Bytes()), func(*asBeforeKeys) bool { return true }); got != nil || err == nil {
		t.Fatalf("version %d: %v, %v", rec.Keys.Version, got, err)
	}
}
