package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/publish"
)

// contentTypes maps extensions to media types; text types carry charset=utf-8.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".xml":         "application/xml; charset=utf-8",
	".json":        "application/json; charset=utf-8",
	".svg":         "image/svg+xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".webmanifest": "application/manifest+json; charset=utf-8",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".pdf":         "application/pdf",
}

// contentType returns the media type of a file name; unknown types are served as
// opaque bytes (nosniff keeps browsers from guessing).
func contentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// Compression. A compressible file (publish.Compressible: the same files that `portal
// build` precompresses) is sent gzipped to a client that accepts gzip: its precompressed
// sibling "<name>.gz" when there is a current one (publish.SiblingCurrent), else,
// compressed per request, only when it is at most maxGzip bytes. Compressing costs 10 to
// 20 ms of CPU per MB at the default level (an 8 MB JSON file took ~100 ms a request), so
// a larger file without a sibling (a build with --no-precompress, the preview's folder)
// is sent as it is, with sendfile; 64 KB costs about a millisecond and covers the pages
// of a portal, which the preview still wants compressed. Tiny files gain nothing.
const (
	minGzip = 1024
	maxGzip = 64 << 10
)

// maxRanges is the most byte ranges a request may ask for; with more, the Range header is
// ignored and the whole file sent (RFC 9110 §14.2 lets a server ignore it), so that a
// thousand one-byte ranges cannot turn a page into a reply many times its size.
const maxRanges = 8

// safeRawPath rejects request targets whose raw (still escaped) path hides traversal or
// separators: "..", encoded dots, encoded slashes or backslashes, NUL.
func safeRawPath(r *http.Request) bool {
	raw := r.RequestURI
	if !strings.HasPrefix(raw, "/") { // absolute-form or "*": use the parsed path
		raw = r.URL.EscapedPath()
	}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		raw = raw[:i]
	}
	low := strings.ToLower(raw)
	for _, bad := range [...]string{"..", "%2e", "%2f", "%5c", "\\", "%00", "\x00"} {
		if strings.Contains(low, bad) {
			return false
		}
	}
	return true
}

// CleanName turns a decoded URL path into a name inside Root. It refuses empty
// segments, dot segments and dot-files, backslashes and control characters. dirSlash
// reports a trailing slash (the name then ends in index.html).
func CleanName(p string) (name string, dirSlash, ok bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false, false
	}
	rest := p[1:]
	if rest == "" {
		return "index.html", true, true
	}
	dirSlash = strings.HasSuffix(rest, "/")
	rest = strings.TrimSuffix(rest, "/")
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" || seg[0] == '.' || strings.ContainsAny(seg, "\\:") {
			return "", false, false
		}
		for _, c := range seg {
			if c < 0x20 || c == 0x7f {
				return "", false, false
			}
		}
	}
	if dirSlash {
		return rest + "/index.html", true, true
	}
	return rest, false, true
}

// serveStatic serves a file of Root.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request) {
	if !safeRawPath(r) {
		h.notFound(w, r)
		return
	}
	name, dirSlash, ok := CleanName(r.URL.Path)
	if !ok {
		h.notFound(w, r)
		return
	}
	// os.Root refuses ".." and symlinks that lead outside Root. Root is opened by name per
	// request so that a swapped output folder is seen at once; the file and its sibling
	// are opened through the same handle, so they come from the same generation. The gate
	// is held until they are open (serveFile lets go before sending).
	leave := h.opts.Gate.enter()
	defer leave()
	root, err := os.OpenRoot(h.opts.Root)
	if err != nil {
		h.notFound(w, r)
		return
	}
	defer root.Close()
	if base, ok := strings.CutSuffix(name, publish.GzipSuffix); ok && publish.Compressible(base) {
		// A precompressed sibling is a representation of base, not a page of its own.
		if _, err := root.Stat(base); err == nil {
			h.notFound(w, r)
			return
		}
	}
	f, err := root.Open(name)
	if err != nil {
		h.notFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		h.notFound(w, r)
		return
	}
	if fi.IsDir() {
		if dirSlash {
			h.notFound(w, r) // "index.html" is a folder: no listings
			return
		}
		loc := (&url.URL{Path: r.URL.Path + "/"}).EscapedPath()
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", loc)
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusMovedPermanently)
		return
	}
	if !fi.Mode().IsRegular() {
		h.notFound(w, r)
		return
	}
	h.serveFile(w, r, root, name, f, fi, leave)
}

// serveFile writes the regular file name of root (open as f) with caching, conditional
// requests, ranges and gzip. It calls leave once it has opened every file it sends.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, root *os.Root, name string, f *os.File, fi os.FileInfo, leave func()) {
	if tooManyRanges(r.Header.Get("Range")) {
		r.Header.Del("Range")
	}
	hdr := w.Header()
	ct := contentType(fi.Name())
	hdr.Set("Content-Type", ct)
	if publish.Fingerprinted(fi.Name()) {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache") // revalidate with ETag / Last-Modified
	}
	etag := strconv.FormatInt(fi.Size(), 16) + "-" + strconv.FormatInt(fi.ModTime().UnixNano(), 16)
	modtime := fi.ModTime()
	if !publish.Compressible(name) {
		leave()
		hdr.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	hdr.Add("Vary", "Accept-Encoding")
	if fi.Size() < minGzip || r.Header.Get("Range") != "" || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		leave()
		hdr.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	// The compressed body is a different representation: it gets its own ETag (the same
	// whether it comes from the sibling or is compressed here: both decode to the file).
	gzTag := `"` + etag + `-gz"`
	gz, size := openSibling(root, name, fi)
	leave()
	if gz != nil {
		defer gz.Close()
		hdr.Set("ETag", gzTag)
		hdr.Set("Content-Encoding", "gzip")
		http.ServeContent(lengthWriter{w, size}, r, "", modtime, gz)
		return
	}
	if fi.Size() > maxGzip {
		hdr.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	hdr.Set("ETag", gzTag)
	if notModified(r, gzTag, modtime) {
		// ServeContent answers 304 without reading the body: skip compressing.
		http.ServeContent(w, r, "", modtime, bytes.NewReader(nil))
		return
	}
	body, err := h.gzip(f)
	if err != nil {
		h.logf("lỗi đọc hoặc nén %s: %v", name, err)
		hdr.Del("ETag")
		Plain(w, http.StatusInternalServerError, "500 – Lỗi máy chủ khi đọc tệp.")
		return
	}
	hdr.Set("Content-Encoding", "gzip")
	http.ServeContent(lengthWriter{w, int64(len(body))}, r, "", modtime, bytes.NewReader(body))
}

// lengthWriter sets Content-Length on a 200 answer of http.ServeContent, which leaves it
// out when Content-Encoding is set: with it a HEAD request learns the size and a large
// body is not sent chunked. (A 304 or 412 carries no body and gets none.)
type lengthWriter struct {
	http.ResponseWriter
	n int64
}

func (l lengthWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		l.Header().Set("Content-Length", strconv.FormatInt(l.n, 10))
	}
	l.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps the ResponseWriter's own ReadFrom (sendfile from the sibling).
func (l lengthWriter) ReadFrom(r io.Reader) (int64, error) { return io.Copy(l.ResponseWriter, r) }

func (l lengthWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// openSibling opens the current precompressed sibling of name (info fi) and returns it with
// its size, or nil.
func openSibling(root *os.Root, name string, fi os.FileInfo) (*os.File, int64) {
	gz, err := root.Open(name + publish.GzipSuffix)
	if err != nil {
		return nil, 0
	}
	gi, err := gz.Stat()
	if err != nil || !publish.SiblingCurrent(fi, gi, gz) {
		gz.Close()
		return nil, 0
	}
	return gz, gi.Size()
}

// gzip compresses a small file (at most maxGzip bytes) in memory, with a pooled writer.
func (h *Handler) gzip(f io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := h.gzPool.Get().(*gzip.Writer)
	if zw == nil {
		zw = gzip.NewWriter(&buf)
	} else {
		zw.Reset(&buf)
	}
	defer func() {
		zw.Reset(nil)
		h.gzPool.Put(zw)
	}()
	if _, err := io.Copy(zw, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// tooManyRanges reports whether a Range header asks for more than maxRanges ranges.
func tooManyRanges(h string) bool {
	if h == "" {
		return false
	}
	n := 0
	for part := range strings.SplitSeq(h, ",") {
		if strings.TrimSpace(part) != "" {
			n++
		}
	}
	return n > maxRanges
}

// notModified reports whether a conditional GET would be answered 304 (If-None-Match
// takes precedence over If-Modified-Since, as in RFC 9110).
func notModified(r *http.Request, etag string, modtime time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !modtime.Truncate(time.Second).After(t)
	}
	return false
}

// acceptsGzip parses Accept-Encoding for gzip (or *) with a non-zero q value.
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// maxNotFoundPage caps the size of 404.html read into memory.
const maxNotFoundPage = 1 << 20

// notFound answers 404 with Root/404.html as the body (a short text when it is missing).
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	for _, k := range [...]string{"ETag", "Last-Modified", "Content-Encoding", "Vary"} {
		hdr.Del(k)
	}
	body, err := h.readRootFile("404.html", maxNotFoundPage)
	if err != nil {
		Plain(w, http.StatusNotFound, "404 – Không tìm thấy trang.")
		return
	}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// readRootFile reads a small regular file of Root.
func (h *Handler) readRootFile(name string, limit int64) ([]byte, error) {
	f, err := os.OpenInRoot(h.opts.Root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > limit {
		return nil, fmt.Errorf("%s is not a regular file under %d bytes", name, limit)
	}
	return io.ReadAll(io.LimitReader(f, limit))
}
