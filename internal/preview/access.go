package preview

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/server"
)

// Who may reach the preview. It serves drafts, so by default it listens on loopback only
// (127.0.0.0/8, ::1, localhost); any other address needs Options.AllowRemote. Whatever
// the address, it answers only requests whose Host header names it: a loopback name or
// address with its port, with AllowRemote one of the machine's own addresses, and the
// names of Options.Hosts. A web page the editor visits cannot then reach it through DNS
// rebinding (a name of the attacker's that resolves to 127.0.0.1): the browser sends the
// attacker's name as the Host.

// CheckAddr reports whether the preview may listen on addr: a loopback address always,
// any other only when allowRemote is set. The error is the message to show.
func CheckAddr(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return message.Errorf("--addr %q không đúng dạng HOST:PORT, ví dụ --addr 127.0.0.1:1313", addr)
	}
	if allowRemote || isLoopbackName(host) {
		return nil
	}
	if port == "" {
		port = "1313"
	}
	where := message.New("--addr %s không phải địa chỉ nội bộ của máy (127.0.0.1, ::1, localhost)", addr)
	if ip, err := netip.ParseAddr(host); host == "" || err == nil && ip.IsUnspecified() {
		where = message.New("--addr %s lắng nghe trên mọi địa chỉ của máy", addr)
	}
	return message.Errorf("%v: máy khác trong mạng sẽ xem được trang, kể cả bản nháp chưa xuất bản.\n  Nếu đúng là bạn muốn vậy, thêm --allow-remote; nếu không, dùng --addr 127.0.0.1:%s.", where, port)
}

// isLoopbackName reports whether host (no port) is localhost or a loopback address.
func isLoopbackName(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// CleanHost checks a name given with --host and returns it in the form Host headers are
// compared in: lower case, no trailing dot; an IP address in its canonical form.
func CleanHost(name string) (string, error) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if ip, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")); err == nil {
		return ip.Unmap().WithZone("").String(), nil
	}
	ok := h != "" && len(h) <= 253
	for _, label := range strings.Split(h, ".") {
		ok = ok && label != "" && len(label) <= 63 && !strings.HasPrefix(label, "-") && !strings.HasSuffix(label, "-")
		for _, c := range label {
			ok = ok && (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')
		}
	}
	if !ok {
		return "", message.Errorf("--host %q không phải tên máy: chỉ ghi tên hoặc địa chỉ IP, không kèm http:// hay cổng, ví dụ --host may-soan-bai.local", name)
	}
	return h, nil
}

// hostGuard answers 403 to requests whose Host header does not name the preview.
type hostGuard struct {
	next   http.Handler
	port   string          // the port listened on: loopback names must carry it
	names  map[string]bool // Options.Hosts, on any port (a reverse proxy may use another)
	remote bool            // Options.AllowRemote: the machine's addresses are accepted too
	logf   func(string, ...any)

	mu     sync.Mutex
	addrs  map[netip.Addr]bool // the machine's interface addresses, re-read on a miss
	readAt time.Time
	logged map[string]bool // refused hosts already reported (a few)
}

// interfaceRefresh is how old the list of the machine's addresses may be before a Host
// that is not in it makes the guard read it again (an address from DHCP, a VPN).
const interfaceRefresh = 5 * time.Second

func newHostGuard(next http.Handler, port string, remote bool, hosts []string, logf func(string, ...any)) *hostGuard {
	g := &hostGuard{next: next, port: port, remote: remote, names: map[string]bool{}, logf: logf, logged: map[string]bool{}}
	for _, h := range hosts {
		if c, err := CleanHost(h); err == nil {
			g.names[c] = true
		}
	}
	return g
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if g.allowed(r.Host) {
		g.next.ServeHTTP(w, r)
		return
	}
	g.report(r.Host)
	server.Plain(w, http.StatusForbidden, fmt.Sprintf("403 – Bản xem trước không trả lời cho tên máy %q.\n"+
		"Mở http://localhost:%s/ trên máy đang chạy portal preview; để dùng tên hay địa chỉ khác, xem --host và --allow-remote trong 'portal preview --help'.",
		r.Host, g.port))
}

// allowed reports whether a Host header ("localhost:1313", "[::1]:1313", "name") names
// the preview.
func (g *hostGuard) allowed(hostport string) bool {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil { // no port
		host, port = strings.TrimSuffix(strings.TrimPrefix(hostport, "["), "]"), "80"
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return false
	}
	ip, ipErr := netip.ParseAddr(host)
	if ipErr == nil {
		ip = ip.Unmap().WithZone("")
		host = ip.String()
	}
	if g.names[host] {
		return true
	}
	if port != g.port {
		return false
	}
	if host == "localhost" {
		return true
	}
	if ipErr != nil {
		return false
	}
	return ip.IsLoopback() || g.remote && g.isInterface(ip)
}

// isInterface reports whether ip is one of the machine's addresses.
func (g *hostGuard) isInterface(ip netip.Addr) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.addrs[ip] && time.Since(g.readAt) > interfaceRefresh {
		g.addrs = map[netip.Addr]bool{}
		for _, a := range interfaceAddrs() {
			g.addrs[a] = true
		}
		g.readAt = time.Now()
	}
	return g.addrs[ip]
}

// report logs a refused Host, once each for the first few, so that an editor who opens
// the preview by a name it does not know learns why.
func (g *hostGuard) report(host string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.logged[host] || len(g.logged) >= 16 {
		return
	}
	g.logged[host] = true
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	g.logf("đã từ chối yêu cầu gửi tới tên máy %q: không phải địa chỉ của bản xem trước (nếu đó là tên của máy này, chạy lại với --host %s)", host, name)
}

// interfaceAddrs returns the machine's addresses (none if they cannot be read).
func interfaceAddrs() []netip.Addr {
	as, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, a := range as {
		if n, ok := a.(*net.IPNet); ok {
			if ip, ok := netip.AddrFromSlice(n.IP); ok {
				out = append(out, ip.Unmap())
			}
		}
	}
	return out
}

// listenURLs returns the addresses to open the preview at: for a listener on every
// address (0.0.0.0, ::) loopback first, then the machine's other addresses (link-local
// ones need a zone no browser takes, so they are left out); then the --host names.
func listenURLs(addr net.Addr, machine []netip.Addr, hosts []string) (urls []string, everywhere bool) {
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return []string{"http://" + addr.String() + "/"}, false
	}
	port := fmt.Sprint(ap.Port())
	link := func(host string) string { return "http://" + net.JoinHostPort(host, port) + "/" }
	ip := ap.Addr().Unmap().WithZone("")
	if !ip.IsUnspecified() {
		urls = append(urls, link(ip.String()))
	} else {
		everywhere = true
		urls = append(urls, link("127.0.0.1"))
		var others []netip.Addr
		for _, a := range machine {
			if !a.IsLoopback() && !a.IsLinkLocalUnicast() && !a.IsUnspecified() && (ip.Is6() || a.Is4()) {
				others = append(others, a)
			}
		}
		slices.SortFunc(others, func(a, b netip.Addr) int {
			if a.Is4() != b.Is4() {
				if a.Is4() {
					return -1
				}
				return 1
			}
			return a.Compare(b)
		})
		for _, a := range slices.Compact(others) {
			urls = append(urls, link(a.String()))
		}
	}
	for _, h := range hosts {
		if c, err := CleanHost(h); err == nil {
			urls = append(urls, link(c))
		}
	}
	return urls, everywhere
}
