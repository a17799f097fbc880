package markdown

import (
	"html"
	"strings"
)

// SafeURL reports whether dest may be written into an href or src attribute.
//
// Relative URLs ("tin-tuc/a.html", "/gioi-thieu/", "?trang=2", "#muc-1",
// "//cdn.example.vn/x.png") and absolute URLs with the schemes http, https,
// mailto and tel are safe. Everything else is not: javascript:, vbscript:,
// data:, file:, unknown schemes, and anything that has a colon before the
// first '/', '?' or '#' but no valid allowed scheme in front of it.
//
// The check follows what a browser does before it looks at the scheme:
// HTML character references are decoded, ASCII tab, CR and LF are removed
// anywhere, and leading and trailing control characters and spaces are
// trimmed. So "JaVaScRiPt:", " \x01javascript:", "java\tscript:" and
// "&#106;avascript:" are all rejected.
func SafeURL(dest string) bool {
	u := cleanURL(dest)
	for i := 0; i < len(u); i++ {
		switch u[i] {
		case ':':
			return allowedScheme(u[:i])
		case '/', '?', '#':
			return true // no scheme: a relative URL
		}
	}
	return true
}

// allowedScheme reports whether scheme (without the colon) is one links and
// images may use. The comparison ignores ASCII case.
func allowedScheme(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// cleanURL returns dest as a browser's URL parser sees it before it reads
// the scheme: references decoded, tab/CR/LF removed, C0 controls and spaces
// trimmed from both ends.
func cleanURL(dest string) string {
	if strings.IndexByte(dest, '&') >= 0 {
		dest = html.UnescapeString(dest)
	}
	if strings.ContainsAny(dest, "\t\r\n") {
		dest = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, dest)
	}
	return strings.TrimFunc(dest, func(r rune) bool { return r <= ' ' })
}
