package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
)

// Schema is what a site's configuration says about its content files: the front matter
// keys that are taxonomies, and what one file may cost (config.Limits; zero values are
// the defaults).
type Schema struct {
	Taxonomies []string
	Limits     config.Limits
	// DocumentTypes are the site's own legal-document types, beside DocumentTypes.
	DocumentTypes []string
}

// SchemaOf returns the schema of the site configured by cfg.
func SchemaOf(cfg config.Config) Schema {
	return Schema{Taxonomies: cfg.TaxonomyKeys(), Limits: cfg.Limits, DocumentTypes: cfg.Documents.Types}
}

// key names the schema in cache keys: a document parsed under another one is parsed again.
func (s Schema) key() string {
	return strings.Join(s.Taxonomies, ",") + fmt.Sprintf("|%+v|%q", s.Limits.WithDefaults(), s.DocumentTypes)
}

// markdownNestingAt returns the first line whose block prefix (quote markers and list
// indentation) nests deeper than max, or 0. goldmark's time grows much faster than its
// input on deep nesting (100,000 '>' took 9 s, a list 4,000 levels deep more than a
// minute), so the body is checked before it is rendered.
func markdownNestingAt(body []byte, max int) int {
	line := 0
	for len(body) > 0 {
		line++
		end := bytes.IndexByte(body, '\n')
		if end < 0 {
			end = len(body)
		}
		depth, width := 0, 0
		for _, c := range body[:end] {
			switch c {
			case '>':
				depth++
			case ' ':
				width++
			case '\t':
				width += 4
			default:
				goto done
			}
		}
	done:
		if depth+width/2 > max {
			return line
		}
		if end == len(body) {
			break
		}
		body = body[end+1:]
	}
	return 0
}

// frontMatterEnd returns the offset just past the front matter's closing line ("---",
// "+++", or "}" for JSON), len(src) when it is never closed, or 0 without front matter.
func frontMatterEnd(src []byte) int {
	first, _, _ := strings.Cut(string(src[:min(len(src), 64)]), "\n")
	closing := ""
	switch strings.TrimSpace(first) {
	case "---", "+++":
		closing = strings.TrimSpace(first)
	case "{":
		closing = "}"
	default:
		if !strings.HasPrefix(strings.TrimSpace(first), "{") {
			return 0
		}
		closing = "}"
	}
	off, i := 0, 0
	for l := range bytes.Lines(src) { // no copy of the whole file as a string
		off += len(l)
		if i > 0 && string(bytes.TrimSpace(l)) == closing {
			return off
		}
		i++
	}
	return len(src)
}

// Refused is the diagnostic for an entry of an input folder that portal does not read:
// a symbolic link (target is where it points, if known) or a special file. One rule for
// every input folder (content/, layouts/, static/, i18n/, archetypes/, themes/): links
// are not followed (a link in a site's repository could publish the build machine's
// files, /etc/passwd or a CI secret), and FIFOs, devices and sockets could hang a build.
func Refused(rel string, mode fs.FileMode, target string) diag.Diagnostic {
	switch {
	case mode&fs.ModeSymlink != 0 && target != "":
		return diag.Errorf(rel, 0, 0, "input-file", "là liên kết tượng trưng (symlink) tới %s: portal không đi theo liên kết trong thư mục trang (để không xuất bản nhầm tệp của máy dựng); chép tệp thật vào đây thay cho liên kết", target)
	case mode&fs.ModeSymlink != 0:
		return diag.Errorf(rel, 0, 0, "input-file", "là liên kết tượng trưng (symlink): portal không đi theo liên kết trong thư mục trang (để không xuất bản nhầm tệp của máy dựng); chép tệp thật vào đây thay cho liên kết")
	}
	return diag.Errorf(rel, 0, 0, "input-file", "không phải tệp thường (FIFO, thiết bị hay socket): portal không đọc loại tệp này vì có thể làm treo lần dựng; xóa nó khỏi thư mục trang")
}
