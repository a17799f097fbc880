package build

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestByteGateAdmitsBySize: pieces that fit go side by side, one that does not waits for
// the others, and one larger than the whole budget goes alone instead of waiting forever.
func TestByteGateAdmitsBySize(t *testing.T) {
	g := newByteGate(100)
	g.acquire(48)
	g.acquire(48) // 96 of 100: both in
	var in atomic.Bool
	done := make(chan struct{})
	go func() {
		g.acquire(96) // a 24-MP photo beside two 12-MP ones: waits
		in.Store(true)
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	if in.Load() {
		t.Fatal("96 bytes were admitted while 96 of 100 were in use")
	}
	g.release(48)
	time.Sleep(50 * time.Millisecond)
	if in.Load() {
		t.Fatal("96 bytes were admitted while 48 of 100 were in use")
	}
	g.release(48)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("96 bytes were not admitted once the gate was empty")
	}
	g.release(96)

	big := make(chan struct{})
	go func() { g.acquire(500); close(big) }()
	select {
	case <-big:
	case <-time.After(5 * time.Second):
		t.Fatal("a piece larger than the budget waits forever on an empty gate")
	}
	g.release(500)
	if g.used != 0 {
		t.Fatalf("%d bytes still counted after every release", g.used)
	}
}
