package vietnamese

import (
	"strconv"
	"strings"
)

// FileSize formats a size in bytes the Vietnamese way, with a decimal comma:
// "512 byte", "12 KB", "1,5 MB", "2,3 GB" (1 KB = 1024 byte).
func FileSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(max(n, 0), 10) + " byte"
	}
	units := []string{"KB", "MB", "GB", "TB"}
	v := float64(n) / 1024
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	var s string
	if v >= 100 || u == 0 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	} else {
		s = strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
	}
	return strings.Replace(s, ".", ",", 1) + " " + units[u]
}
