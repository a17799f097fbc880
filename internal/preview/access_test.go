package preview

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an io.Writer safe for the preview's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runReal runs the preview as `portal preview` does (Run, a real listener on addr) and
// returns the first URL it printed, and its output.
func runReal(t *testing.T, dir, addr string, opts Options) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	opts.SiteDir, opts.Stdout, opts.Stderr = dir, out, out
	done := make(chan error, 1)
	go func() { done <- Run(ctx, addr, opts) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	re := regexp.MustCompile(`http://\S+:\d+/`)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if u := re.FindString(out.String()); u != "" {
			return u, out
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned %v; output:\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the preview printed no address; output:\n%s", out)
		}
	}
}

// getHost requests base+path with the given Host header and returns the status, the
// headers and the body (not read for an event stream).
func getHost(t *testing.T, base, path, host string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", base+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, resp.Header, ""
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// Hardening II, item 3: the preview answers only requests addressed to it, so that a web
// page using DNS rebinding (a name of its own resolving to 127.0.0.1) cannot read drafts.
func TestPreviewRefusesForeignHost(t *testing.T) {
	base, out := runReal(t, newSite(t), "127.0.0.1:0", Options{Drafts: true})
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	paths := []string{"/", "/tin-tuc/nhap/", "/api/search?q=a", scriptURL, styleURL, eventsURL}
	for _, host := range []string{"evil.example:" + port, "evil.example", "127.0.0.1.nip.io:" + port, "localhost:1", "127.0.0.1:1", "10.0.0.1:" + port} {
		for _, p := range paths {
			code, hdr, body := getHost(t, base, p, host)
			if code != http.StatusForbidden || !strings.Contains(body, "Bản xem trước không trả lời") ||
				hdr.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(hdr.Get("Content-Type"), "text/plain") {
				t.Errorf("Host %q %s: %d %.80q, want 403 with a Vietnamese text", host, p, code, body)
			}
		}
	}
	if !strings.Contains(out.String(), `đã từ chối yêu cầu gửi tới tên máy "evil.example:`) {
		t.Errorf("a refused host is not reported; output:\n%s", out)
	}
	for _, host := range []string{"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST.:" + port, "127.0.0.2:" + port, "[::1]:" + port} {
		for _, p := range paths {
			// The search index may not be built yet: 503 is an answer too.
			if code, _, _ := getHost(t, base, p, host); code != http.StatusOK && !(p == "/api/search?q=a" && code == http.StatusServiceUnavailable) {
				t.Errorf("Host %q %s: %d, want it served", host, p, code)
			}
		}
	}
}

func TestCheckAddr(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:1313", "127.8.9.10:0", "[::1]:1313", "localhost:1313", "LocalHost:1", "[::ffff:127.0.0.1]:1313"} {
		if err := CheckAddr(addr, false); err != nil {
			t.Errorf("%s: %v, want it allowed", addr, err)
		}
	}
	for addr, want := range map[string]string{
		"0.0.0.0:1313":      "lắng nghe trên mọi địa chỉ của máy",
		"[::]:1313":         "lắng nghe trên mọi địa chỉ của máy",
		":1313":             "lắng nghe trên mọi địa chỉ của máy",
		"192.168.1.5:1313":  "không phải địa chỉ nội bộ của máy",
		"may-soan-bai:1313": "không phải địa chỉ nội bộ của máy",
	} {
		err := CheckAddr(addr, false)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bản nháp") ||
			!strings.Contains(err.Error(), "--allow-remote") || !strings.Contains(err.Error(), "--addr 127.0.0.1:1313") {
			t.Errorf("%s: %v, want it refused, saying why and which flag to add", addr, err)
		}
		if err := CheckAddr(addr, true); err != nil {
			t.Errorf("%s with AllowRemote: %v", addr, err)
		}
	}
	if err := CheckAddr("127.0.0.1", true); err == nil || !strings.Contains(err.Error(), "HOST:PORT") {
		t.Errorf("an address without a port: %v", err)
	}
}

func TestCleanHost(t *testing.T) {
	for in, want := range map[string]string{"May-Soan-Bai.LAN.": "may-soan-bai.lan", "preview": "preview",
		"192.0.2.7": "192.0.2.7", "[2001:DB8::7]": "2001:db8::7", "::ffff:192.0.2.7": "192.0.2.7"} {
		if got, err := CleanHost(in); got != want || err != nil {
			t.Errorf("CleanHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "http://may", "may:8080", "may/", "-may", "may..lan", "máy"} {
		if _, err := CleanHost(in); err == nil || !strings.Contains(err.Error(), "--host") {
			t.Errorf("CleanHost(%q): %v, want an error", in, err)
		}
	}
}

// With --allow-remote the machine's own addresses are answered (on the port listened
// on); --host names on any port; never a name of someone else's.
func TestHostGuardRemote(t *testing.T) {
	var machine netip.Addr
	for _, a := range interfaceAddrs() {
		if !a.IsLoopback() && !a.IsLinkLocalUnicast() {
			machine = a
			break
		}
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	remote := newHostGuard(ok, "1313", true, []string{"May-Soan-Bai.lan", "203.0.113.7"}, t.Logf)
	local := newHostGuard(ok, "1313", false, nil, t.Logf)
	for host, want := range map[string][2]bool{ // remote, local
		"127.0.0.1:1313":           {true, true},
		"localhost:1313":           {true, true},
		"[::1]:1313":               {true, true},
		"localhost":                {false, false}, // port 80
		"may-soan-bai.lan:1313":    {true, false},
		"may-soan-bai.lan":         {true, false},
		"MAY-SOAN-BAI.LAN.:8443":   {true, false},
		"203.0.113.7:443":          {true, false},
		"evil.example:1313":        {false, false},
		"may-soan-bai.lan.evil:80": {false, false},
		"198.51.100.1:1313":        {false, false},
		"":                         {false, false},
	} {
		if got := remote.allowed(host); got != want[0] {
			t.Errorf("AllowRemote: Host %q allowed %v, want %v", host, got, want[0])
		}
		if got := local.allowed(host); got != want[1] {
			t.Errorf("loopback: Host %q allowed %v, want %v", host, got, want[1])
		}
	}
	if !machine.IsValid() {
		t.Log("this machine has no address but loopback; skipping its addresses")
		return
	}
	own := net.JoinHostPort(machine.String(), "1313")
	if !remote.allowed(own) || remote.allowed(net.JoinHostPort(machine.String(), "1314")) || local.allowed(own) {
		t.Errorf("Host %s: allowed %v with AllowRemote, %v without; want only with it, on its port", own, remote.allowed(own), local.allowed(own))
	}
}

func TestListenURLs(t *testing.T) {
	machine := []netip.Addr{netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("fd00::2"), netip.MustParseAddr("192.0.2.2"),
		netip.MustParseAddr("::1"), netip.MustParseAddr("fe80::fc:ff:fe00:1"), netip.MustParseAddr("10.0.0.3")}
	all := &net.TCPAddr{IP: net.IPv6unspecified, Port: 1313}
	urls, everywhere := listenURLs(all, machine, []string{"May.lan"})
	want := []string{"http://127.0.0.1:1313/", "http://10.0.0.3:1313/", "http://192.0.2.2:1313/", "http://[fd00::2]:1313/", "http://may.lan:1313/"}
	if !everywhere || strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Errorf("every address: %v %v, want %v", urls, everywhere, want)
	}
	urls, everywhere = listenURLs(&net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 80}, machine, nil)
	if everywhere || strings.Join(urls, " ") != "http://192.0.2.2:80/" {
		t.Errorf("one address: %v %v", urls, everywhere)
	}
}

// Hardening II, item 12: the preview's own responses (script, overlay style, events, the
// error page) carry the same security headers as the site's pages.
func TestPreviewOwnResponsesCarrySecurityHeaders(t *testing.T) {
	dir := newSite(t)
	r := start(t, dir)
	page, err := http.Get(r.srv.URL + "/tin-tuc/a/")
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	names := []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Permissions-Policy"}
	if page.Header.Get("Content-Security-Policy") == "" || page.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("the site's pages lack the security headers: %v", page.Header)
	}
	check := func(what string, hdr http.Header) {
		t.Helper()
		for _, name := range names {
			if got, want := hdr.Get(name), page.Header.Get(name); got != want {
				t.Errorf("%s: %s %q, want %q as on the site's pages", what, name, got, want)
			}
		}
	}
	for _, p := range []string{scriptURL, styleURL, eventsURL} {
		_, hdr, _ := getHost(t, r.srv.URL+"/", p, "")
		check(p, hdr)
	}
	n := r.s.Builds()
	write(t, dir, "config.toml", "title = [\n")
	r.waitBuilds(t, n)
	if r.s.hub.failure() == nil {
		t.Fatal("the broken config.toml did not fail the build")
	}
	code, hdr, body := getHost(t, r.srv.URL+"/", "/khong-co/", "")
	if code != http.StatusInternalServerError || !strings.Contains(body, "Lỗi khi dựng trang") {
		t.Fatalf("error page: %d %.80q", code, body)
	}
	check("the error page", hdr)

	for _, p := range []string{scriptURL, styleURL, eventsURL} {
		resp, err := http.Post(r.srv.URL+p, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST %s: %s, want 405 as on the site", p, resp.Status)
		}
		check("POST "+p, resp.Header)
		resp, err = (&http.Client{Timeout: 5 * time.Second}).Head(r.srv.URL + p)
		if err != nil {
			t.Fatalf("HEAD %s: %v", p, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %s", p, resp.Status)
		}
	}
	open := func() int {
		r.s.hub.mu.Lock()
		defer r.s.hub.mu.Unlock()
		return len(r.s.hub.clients)
	}
	for deadline := time.Now().Add(5 * time.Second); open() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d event streams still open after the streams were closed and HEAD requests", open())
		}
	}
}
