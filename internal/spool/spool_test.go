package spool

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/message"
)

func TestPutReadConcurrent(t *testing.T) {
	s, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 400
	spans := make([]Span, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Varying lengths, including empty strings and multi-byte text.
			sp, err := s.Put([]byte(strings.Repeat(fmt.Sprintf("Đà Nẵng %d;", i), i%7)))
			if err != nil {
				t.Error(err)
			}
			spans[i] = sp
		})
	}
	wg.Wait()
	var total int64
	for i, sp := range spans {
		want := strings.Repeat(fmt.Sprintf("Đà Nẵng %d;", i), i%7)
		got, err := s.ReadString(sp)
		if err != nil || got != want {
			t.Fatalf("span %d: got %q, %v; want %q", i, got, err, want)
		}
		if sp.Len() != len(want) {
			t.Errorf("span %d: Len %d, want %d", i, sp.Len(), len(want))
		}
		total += int64(len(want))
	}
	if s.Size() != total {
		t.Errorf("Size %d, want %d", s.Size(), total)
	}
}

func TestReadIsACopy(t *testing.T) {
	s, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sp, _ := s.Put([]byte("abc"))
	b, _ := s.Read(sp)
	b[0] = 'x'
	if got, _ := s.ReadString(sp); got != "abc" {
		t.Errorf("changing a read slice changed the store: %q", got)
	}
}

func TestBadSpan(t *testing.T) {
	s, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sp, _ := s.Put([]byte("hello"))
	for _, bad := range []Span{{off: 0, n: 6}, {off: 3, n: 3}, {off: -1, n: 1}, {off: 0, n: -1}} {
		if _, err := s.Read(bad); err == nil {
			t.Errorf("Read(%+v) of a 5-byte store: no error", bad)
		}
	}
	if _, err := s.Read(sp); err != nil {
		t.Error(err)
	}
}

func TestCloseRemovesAndRefuses(t *testing.T) {
	dir := t.TempDir()
	s, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := s.Put([]byte("nội dung"))
	if err != nil {
		t.Fatal(err)
	}
	if unlinkOpen {
		// Unlinked at once: nothing is left behind even if the process dies.
		if es, _ := os.ReadDir(dir); len(es) != 0 {
			t.Errorf("the temporary file is still in its folder while open: %v", es)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Errorf("Close left %v behind", es)
	}
	if _, err := s.Read(sp); !errors.Is(err, ErrClosed) {
		t.Errorf("Read after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Put([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestCreateInMissingFolder(t *testing.T) {
	if _, err := Create(t.TempDir() + "/missing/x"); err == nil || !strings.Contains(err.Error(), "không tạo được tệp tạm") || !strings.Contains(message.En.Error(err), "cannot create a temporary file") {
		t.Errorf("Create in a missing folder: %v", err)
	}
}

// A kept store outlives Close; reopening it with the size of what was committed cuts off
// what came after, and a file shorter than that size is refused.
func TestOpenKeptStore(t *testing.T) {
	path := t.TempDir() + "/pack"
	s, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Put([]byte("hội nghị"))
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	s.Put([]byte("uncommitted"))
	s.Close()
	s, err = Open(path, a.End())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReadString(At(a.Off(), int64(a.Len()))); got != "hội nghị" || err != nil {
		t.Errorf("read back %q, %v", got, err)
	}
	b, _ := s.Put([]byte("x"))
	if b.Off() != a.End() {
		t.Errorf("a Put after reopening is at %d, want %d (after the committed bytes)", b.Off(), a.End())
	}
	s.Close()
	if fi, err := os.Stat(path); err != nil || fi.Size() != a.End()+1 {
		t.Errorf("kept file after Close: %v, %v", fi, err)
	}
	if _, err := Open(path, 1000); err == nil {
		t.Error("opened a 13-byte file as 1000 bytes of data")
	}
}

// TestReadStringCopiesOnce: a text read as a string is one new copy of the spool's bytes
// (the index build reads every article's text so), and two reads do not share memory.
func TestReadStringCopiesOnce(t *testing.T) {
	s, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := strings.Repeat("Ủy ban nhân dân tỉnh Hà Tĩnh. ", 200)
	sp, err := s.Put([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var got string
	allocs := testing.AllocsPerRun(20, func() {
		if got, err = s.ReadString(sp); err != nil {
			t.Fatal(err)
		}
	})
	if got != text {
		t.Fatalf("ReadString gave %d bytes, not the text put", len(got))
	}
	if allocs > 1 {
		t.Errorf("ReadString made %.0f allocations, want 1 (the copy of the text)", allocs)
	}
	again, _ := s.ReadString(sp)
	if again != got || unsafe.StringData(again) == unsafe.StringData(got) {
		t.Error("two reads of one span share their bytes")
	}
	if empty, err := s.ReadString(At(sp.Off(), 0)); empty != "" || err != nil {
		t.Errorf("an empty span reads as %q, %v", empty, err)
	}
}
