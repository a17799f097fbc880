package photo

import (
	"context"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
)

// BenchmarkProcessCameraPhoto processes one generated 4000×3000 camera photo into the
// default variants (4 widths × WebP + JPEG):
//
//	go test -tags nodynamic -run '^$' -bench ProcessCameraPhoto -benchtime 3x ./internal/photo
func BenchmarkProcessCameraPhoto(b *testing.B) {
	src, err := corpus.PhotoJPEG(1, 0, 4000, 3000)
	if err != nil {
		b.Fatal(err)
	}
	info, err := Inspect("anh.jpg", src, testSettings)
	if err != nil {
		b.Fatal(err)
	}
	plan := Plan(info, testSettings)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for b.Loop() {
		vs, err := Process(context.Background(), "anh.jpg", src, testSettings, plan)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, v := range vs {
			n += len(v.Data)
		}
		b.ReportMetric(float64(n), "out-bytes")
	}
}
