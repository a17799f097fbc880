package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// Server timeouts and limits.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 10 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 60 * time.Second
	MaxHeaderBytes    = 16 << 10
	// ShutdownGrace is how long in-flight requests may finish after the context ends.
	ShutdownGrace = 5 * time.Second
)

// Listen opens a TCP listener on addr ("127.0.0.1:1313"), explaining the common failures.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, message.Errorf("địa chỉ %s đang được dùng (một 'portal serve' hay 'portal preview' khác đang chạy?); chọn địa chỉ khác bằng --addr, ví dụ --addr 127.0.0.1:1314", addr)
		}
		return nil, message.Errorf("không lắng nghe được trên %s: %w (dùng --addr HOST:PORT, ví dụ 127.0.0.1:1313)", addr, err)
	}
	return ln, nil
}

// URL returns the address a browser can open for a listener: "http://127.0.0.1:1313/".
// An unspecified host (0.0.0.0, ::) is shown as 127.0.0.1.
func URL(ln net.Listener) string {
	host, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return "http://" + ln.Addr().String() + "/"
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// NewHTTPServer returns an http.Server with the package's timeouts and limits whose
// internal errors go to logf.
func NewHTTPServer(h http.Handler, logf func(string, ...any)) *http.Server {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          log.New(logWriter(logf), "", 0),
	}
}

// logWriter adapts logf to the io.Writer that log.Logger wants.
type logWriter func(string, ...any)

func (f logWriter) Write(p []byte) (int, error) {
	f("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Serve serves h on ln until ctx ends, then stops accepting connections and lets
// in-flight requests finish for up to ShutdownGrace. It returns nil after a clean
// shutdown.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, logf func(string, ...any)) error {
	srv := NewHTTPServer(h, logf)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return message.Errorf("máy chủ đã dừng: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		_ = srv.Close()
		return message.Errorf("lỗi khi dừng máy chủ: %w", err)
	}
	return nil
}

// Logger returns a logf that writes timestamped lines to w, one at a time, in l (portal
// serve and the preview log through it): format is a catalogued Vietnamese format.
func Logger(w io.Writer, l message.Lang) func(string, ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "%s %s\n", time.Now().Format("15:04:05"), l.Sprintf(format, args...))
	}
}
