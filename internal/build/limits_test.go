package build

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/markdown"
)

// The per-file deadline (limits.fileSeconds) gives up on a render that takes longer and
// lets a quick one through. (Parse refuses the nesting that made goldmark slow, so no real
// file is slow enough to test it end to end; the mechanism is tested here.)
func TestRenderWithin(t *testing.T) {
	md := markdown.New(markdown.Options{})
	body := []byte(strings.Repeat("Đoạn văn có **chữ đậm** và [liên kết](/a/).\n\n", 2000))
	if _, err := renderWithin(md, body, time.Nanosecond, markdown.Page{Images: markdown.NoImages{}}); !errors.Is(err, errTooSlow) {
		t.Errorf("a render past its deadline: %v, want errTooSlow", err)
	}
	res, err := renderWithin(md, body, time.Minute, markdown.Page{Images: markdown.NoImages{}})
	if err != nil || !strings.Contains(string(res.HTML), "<strong>chữ đậm</strong>") {
		t.Errorf("a render within its deadline: %v", err)
	}
}
