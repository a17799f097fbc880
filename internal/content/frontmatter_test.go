package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v2"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// adrgSplit is split as it was before findFrontMatter: github.com/adrg/frontmatter read
// the file through a bufio.Reader into a bytes.Buffer (three copies of every file) and
// called back the decoder. It stays here as the reference findFrontMatter must match.
func adrgSplit(src []byte) (map[string]any, []byte, int, fmFormat, error) {
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
		frontmatter.NewFormat("---", "---", capture(fmYAML, yaml.Unmarshal)),
		frontmatter.NewFormat("+++", "+++", capture(fmTOML, toml.Unmarshal)),
		{Start: "{", End: "}", Unmarshal: capture(fmJSON, json.Unmarshal), UnmarshalDelims: true, RequiresNewLine: true},
	}
	body, err := frontmatter.Parse(bytes.NewReader(src), nil, formats...)
	first := firstLine(src)
	if decErr != nil {
		return nil, nil, 0, format, positioned(src, captured, format, decErr)
	}
	if err != nil {
		return nil, nil, 0, format, err
	}
	if decoded == nil {
		switch first {
		case "---", "+++":
			return nil, nil, 0, format, &posError{1, 1, message.New("phần đầu mở bằng dòng %q nhưng không đóng: thêm một dòng %q sau trường cuối cùng", first, first)}
		case "{":
			return nil, nil, 0, format, &posError{1, 1, message.New("phần đầu JSON phải kết thúc bằng một dòng chỉ có '}' và tiếp theo là một dòng trống: thêm dòng trống trước nội dung bài")}
		}
		return nil, src, 1, format, nil
	}
	line, _ := diag.Position(src, len(src)-len(body))
	return normalizeMap(decoded), body, line, format, nil
}

// splitResult prints what split returns, for comparison.
func splitResult(fm map[string]any, body []byte, line int, format fmFormat, err error) string {
	if err != nil {
		return fmt.Sprintf("error %d: %v", format, err)
	}
	return fmt.Sprintf("%v|%q|%d|%d", fm, body, line, format)
}

var splitCases = []string{
	"---\ntitle: \"Hội nghị\"\ndate: 2024-05-29\n---\nNội dung.\n",
	"+++\ntitle = \"Hội nghị\"\n+++\nNội dung.\n",
	"{\n  \"title\": \"Hội nghị\"\n}\n\nNội dung.\n",
	"{\n  \"title\": \"x\"\n}\nbody\n}\n\nrest\n",
	"{\n  \"title\": \"x\"\n}\n}\n\nrest\n",
	"{\n  \"title\": \"x\"\n}",
	"{\n  \"title\": \"x\"\n}\n",
	"{\n  \"title\": \"x\"\n}\n   \nb",
	"{\n  \"title\": \"x\"\n}\nb",
	"\n\n  \n---\ntitle: x\n---\nbody",
	"  ---  \ntitle: x\n\t---\t\nbody",
	"\u00a0---\u00a0\ntitle: x\n---\u0085\nbody",
	"---\ntitle: x\n---",
	"---\ntitle: x\n---\n",
	"---\ntitle: x\n",
	"---",
	"---\n",
	"---\n---\n",
	"---\n---",
	"+++\n---\n+++\n",
	"---\ntitle: [\n---\n",
	"+++\ntitle = \n+++\n",
	"{\n\"title\": 1,\n}\n\n",
	"no front matter\n---\ntitle: x\n---\n",
	"",
	"\n",
	"   ",
	"---\r\ntitle: x\r\n---\r\nbody\r\n",
	"---yaml\ntitle: x\n---\n",
	";;;\n;;;\n",
	"{ \"a\": 1 }\n\nbody",
	"---\ntitle: x\n--- \n---\nb",
}

// TestFindFrontMatterMatchesAdrg: split finds the same front matter, body, line and
// errors as it did through adrg/frontmatter, on the awkward cases of that library's
// rules (blank lines before, white space around delimiters, JSON's blank line after '}',
// delimiters at the end of the file, unclosed and undecodable front matter).
func TestFindFrontMatterMatchesAdrg(t *testing.T) {
	for _, c := range splitCases {
		want := splitResult(adrgSplit([]byte(c)))
		got := splitResult(split([]byte(c)))
		if got != want {
			t.Errorf("split(%q)\n got %s\nwant %s", c, got, want)
		}
	}
}

// FuzzFindFrontMatter compares split with adrgSplit on arbitrary input.
func FuzzFindFrontMatter(f *testing.F) {
	for _, c := range splitCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if bytes.Count(src, []byte("[")) > 50 || bytes.Count(src, []byte("{")) > 50 {
			return // deep nesting is refused before split (config.NestingAt)
		}
		want := splitResult(adrgSplit(src))
		got := splitResult(split(src))
		if got != want {
			t.Errorf("split(%q)\n got %s\nwant %s", src, got, want)
		}
	})
}
