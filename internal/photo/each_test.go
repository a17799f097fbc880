package photo

import (
	"bytes"
	"context"
	"errors"
	"image"
	_ "image/jpeg"
	"slices"
	"sync/atomic"
	"testing"

	_ "golang.org/x/image/webp"
)

// ProcessEach hands over every variant once, with its index, whatever order the specs
// come in; an error from emit stops it and is returned.
func TestProcessEachEmitsEveryVariantOnce(t *testing.T) {
	src := encodeJPEG(t, marked(1000, 750))
	info, err := Inspect("a.jpg", src, testSettings)
	if err != nil {
		t.Fatal(err)
	}
	specs := Plan(info, testSettings)
	slices.Reverse(specs) // narrowest first, as the preview's queue asks
	var got []int
	err = ProcessEach(context.Background(), "a.jpg", src, testSettings, specs, func(i int, v Variant) error {
		got = append(got, i)
		m, _, err := image.Decode(bytes.NewReader(v.Data))
		if err != nil || v.Spec != specs[i] || m.Bounds().Dx() != specs[i].Width || m.Bounds().Dy() != specs[i].Height {
			t.Errorf("variant %d (%v): %v, %v", i, specs[i], m.Bounds(), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, len(specs))
	for i := range want {
		want[i] = i
	}
	if sorted := slices.Sorted(slices.Values(got)); !slices.Equal(sorted, want) {
		t.Errorf("emitted %v, want each of %d once", got, len(specs))
	}

	stop := errors.New("the output is full")
	var calls atomic.Int32
	err = ProcessEach(context.Background(), "a.jpg", src, testSettings, specs, func(int, Variant) error {
		calls.Add(1)
		return stop
	})
	if !errors.Is(err, stop) || calls.Load() != 1 {
		t.Errorf("after emit failed: err %v, %d calls; want its error, 1 call", err, calls.Load())
	}
}
