package vietnamese

import "testing"

func TestFileSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 byte", 512: "512 byte", 1024: "1 KB", 13000: "13 KB", 1536 * 1024: "1,5 MB", 1 << 20: "1 MB", 150 << 20: "150 MB", 5 << 30: "5 GB"} {
		if got := FileSize(n); got != want {
			t.Errorf("FileSize(%d) = %q, want %q", n, got, want)
		}
	}
}
