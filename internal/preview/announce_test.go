package preview

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

// Issue 17, item 5: the preview names the site folder it shows by its full path, not
// "Đang xem trước . tại …" when it runs in the current folder; in English with Lang.
func TestAnnounceNamesTheFolder(t *testing.T) {
	dir := newSite(t)
	t.Chdir(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, c := range []struct {
		lang message.Lang
		want string
	}{
		{message.Vi, "Đang xem trước " + dir + " tại http://127.0.0.1:"},
		{message.En, "Previewing " + dir + " at http://127.0.0.1:"},
	} {
		var out bytes.Buffer
		ctx, cancel := context.WithCancel(context.Background())
		s, err := New(ctx, Options{SiteDir: ".", Stdout: &out, Stderr: &out, Lang: c.lang})
		if err != nil {
			t.Fatal(err)
		}
		s.announce(ln)
		s.Close()
		cancel()
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("announced %q, want it to contain %q", out.String(), c.want)
		}
	}
}
