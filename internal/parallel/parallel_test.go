package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestEachVisitsEveryIndexOnce(t *testing.T) {
	seen := make([]atomic.Int32, 1000)
	if err := Each(context.Background(), len(seen), func(i int) { seen[i].Add(1) }); err != nil {
		t.Fatal(err)
	}
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("index %d visited %d times", i, seen[i].Load())
		}
	}
}

func TestEachStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	err := Each(ctx, 100000, func(i int) {
		if n.Add(1) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || n.Load() >= 100000 {
		t.Fatalf("err=%v visited=%d: want cancellation to stop the work", err, n.Load())
	}
}
