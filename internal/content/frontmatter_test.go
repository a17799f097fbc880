package content

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// splitAdrg separates front matter from body with adrg/frontmatter and decodes the front matter
// into a map. It returns the map (nil if the file has none), the body, the body's first line
// and the format. Decoding errors carry file positions.
func splitAdrg(src []byte) (map[string]any, []byte, int, fmFormat, error) {
	var (
		captured []byte
		format   fmFormat
		decoded  map[string]any
		decErr   error
	)
	capture := func(f fmFormat, un func([]byte, any) error) func([]byte, any) error {
		return func(data []byte, _ any) error {
			captured, format = data, f
			m := map[string]any{}
			if err := un(data, &m); err != nil {
				decErr = err
				return err
			}
			decoded = m
			return nil
		}
	}
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", capture(fmYAML, decodeYAML)),
		frontmatter.NewFormat("+++", "+++", capture(fmTOML, toml.Unmarshal)),
		{Start: "{", End: "}", Unmarshal: capture(fmJSON, json.Unmarshal), UnmarshalDelims: true, RequiresNewLine: true},
	}
	body, err := frontmatter.Parse(bytes.NewReader(src), nil, formats...)
	if decErr != nil {
		return nil, nil, 0, format, positioned(src, captured, format, decErr)
	}
	if err != nil {
		return nil, nil, 0, format, err
	}
	if decoded == nil {
		switch first := firstLine(src); first {
		case "---", "+++":
			return nil, nil, 0, format, &posError{1, 1, message.New("phần đầu mở bằng dòng %q nhưng không đóng: thêm một dòng %q sau trường cuối cùng", first, first)}
		case "{":
			return nil, nil, 0, format, &posError{1, 1, message.New("phần đầu JSON phải kết thúc bằng một dòng chỉ có '}' và tiếp theo là một dòng trống: thêm dòng trống trước nội dung bài")}
		}
		return nil, src, 1, format, nil
	}
	bodyStart := len(src) - len(body)
	line, _ := diag.Position(src, bodyStart)
	return normalizeMap(decoded), body, line, format, nil
}

// sameSplit fails when split and splitAdrg, the split of github.com/adrg/frontmatter it
// replaced, differ on src: map, body, line, format or error.
func sameSplit(t *testing.T, src []byte) {
	t.Helper()
	fm, body, line, format, err := split(src)
	wfm, wbody, wline, wformat, werr := splitAdrg(src)
	if !reflect.DeepEqual(fm, wfm) || !bytes.Equal(body, wbody) || (body == nil) != (wbody == nil) || line != wline || format != wformat ||
		(err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
		t.Fatalf("split(%q) = %v, %q, %d, %d, %v\nadrg/frontmatter: %v, %q, %d, %d, %v", src, fm, body, line, format, err, wfm, wbody, wline, wformat, werr)
	}
}

// TestFrontMatterAsAdrg: split finds, decodes and cuts front matter exactly as it did
// through github.com/adrg/frontmatter: the three formats, blank and white-space lines
// before, delimiters with white space, unclosed and empty front matter, JSON's blank
// line after "}", CR, no final line end, errors.
func TestFrontMatterAsAdrg(t *testing.T) {
	cases := []string{
		"", "\n", "---", "---\n", "---\n---", "---\n---\n", "---\n---\nbody", "---\ntitle: a\n---\nbody\n",
		"\n\n  \n---\ntitle: a\n---\nbody", " --- \ntitle: a\n  ---  \nbody", "\u00a0\n---\ntitle: a\n---\u00a0\nx",
		"---\ntitle: a\n", "---\ntitle: a\n---", "---\ntitle: [a\n---\nx", "---\ntitle: a\n----\n---\nx\n---\ny",
		"+++\ntitle = 'a'\n+++\nbody", "+++\ntitle = a\n+++\nbody", "+++\ntitle = 'a'\n",
		"{\n\"title\": \"a\"\n}\n\nbody", "{\n\"title\": \"a\"\n}\nbody", "{\n\"title\": \"a\"\n}", "{\n\"title\": \"a\"\n}\n}\n\nx",
		"{\n\"title\": \"a\"\n}\nx\n}\n\nbody", "{\n\"title\": \"a\",\n}\n\nbody", "{\"title\": \"a\"}\n\nbody", "{\n",
		"title: a\n---\nx", "# Tiêu đề\n\nnội dung", "---\r\ntitle: a\r\n---\r\nbody", "---\ntitle: \"Hà Tĩnh\"\ntags: [\"a\", \"b\"]\n---\n\nNội dung.\n",
		"---\n- a\n- b\n---\nx", "---\n\"a\n---\nx", "+++\n[x]\n+++\n", "---\n---\n---\n",
	}
	for _, c := range cases {
		sameSplit(t, []byte(c))
	}
}

// FuzzFrontMatterAsAdrg is TestFrontMatterAsAdrg for any file.
func FuzzFrontMatterAsAdrg(f *testing.F) {
	for _, c := range []string{"---\ntitle: a\n---\nbody", "+++\ntitle = 'a'\n+++\nx", "{\n\"a\": 1\n}\n\nx", "\n \n---\n---", "{\n}\n}\n\n"} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4000 || strings.Count(s, "[")+strings.Count(s, "{") > 40 {
			return
		}
		sameSplit(t, []byte(s))
	})
}
