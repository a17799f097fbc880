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
	".html":  "text/html; charset=utf-8",
	".htm":   "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".xml":   "application/xml; charset=utf-8",
	".json":  "application/json; charset=utf-8",
	".svg":   "image/svg+xml; charset=utf-8",
	".txt":   "text/plain; charset=utf-8",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".pdf":   "application/pdf",
}

// contentType returns the media type of a file name; unknown types are served as
// opaque bytes (nosniff keeps browsers from guessing).
func contentType(name string) string {
	if ct, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return ct
	}
	return "application/octet-stream"
}

// compressible reports whether a media type is worth gzipping.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") ||
		strings.HasPrefix(ct, "application/xml") || strings.HasPrefix(ct, "image/svg+xml")
}

// Compression limits: tiny files gain nothing; huge ones are served as they are rather
// than compressed in memory.
const (
	minGzip = 1024
	maxGzip = 8 << 20
)

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

// cleanName turns a decoded URL path into a name inside Root. It refuses empty
// segments, dot segments and dot-files, backslashes and control characters. dirSlash
// reports a trailing slash (the name then ends in index.html).
func cleanName(p string) (name string, dirSlash, ok bool) {
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
	name, dirSlash, ok := cleanName(r.URL.Path)
	if !ok {
		h.notFound(w, r)
		return
	}
	// os.OpenInRoot refuses ".." and symlinks that lead outside Root. Root is opened by
	// name per request so that a swapped output folder is seen at once.
	f, err := os.OpenInRoot(h.opts.Root, name)
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
	h.serveFile(w, r, f, fi)
}

// serveFile writes one regular file with caching, conditional requests, ranges and gzip.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, f *os.File, fi os.FileInfo) {
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
	if !compressible(ct) {
		hdr.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	hdr.Add("Vary", "Accept-Encoding")
	if fi.Size() < minGzip || fi.Size() > maxGzip || r.Header.Get("Range") != "" || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		hdr.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", modtime, f)
		return
	}
	// The compressed body is a different representation: it gets its own ETag.
	gzTag := `"` + etag + `-gz"`
	hdr.Set("ETag", gzTag)
	if notModified(r, gzTag, modtime) {
		// ServeContent answers 304 without reading the body: skip compressing.
		http.ServeContent(w, r, "", modtime, bytes.NewReader(nil))
		return
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if _, err := io.Copy(zw, f); err != nil {
		h.logf("lỗi đọc %s: %v", fi.Name(), err)
		plain(w, http.StatusInternalServerError, "500 – Lỗi máy chủ khi đọc tệp.")
		return
	}
	if err := zw.Close(); err != nil {
		plain(w, http.StatusInternalServerError, "500 – Lỗi máy chủ khi nén tệp.")
		return
	}
	hdr.Set("Content-Encoding", "gzip")
	http.ServeContent(w, r, "", modtime, bytes.NewReader(buf.Bytes()))
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
		plain(w, http.StatusNotFound, "404 – Không tìm thấy trang.")
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
