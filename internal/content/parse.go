package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// KnownKeys are the front matter fields portal understands (Hugo's names).
var knownKeys = []string{
	"title", "date", "lastmod", "draft", "publishDate", "expiryDate", "slug", "url", "aliases",
	"summary", "description", "tags", "categories", "provinces", "author", "source", "image",
	"image_alt", "weight", "layout", "type", "keywords", "toc", "lang",
}

// Parse decodes one content file. rel is its slash-separated path relative to the site root
// ("content/tin-tuc/x.md"); schema says which front matter keys are taxonomies and what
// the file may cost.
// All problems are returned as diagnostics; the document is nil when it cannot be used.
func Parse(rel string, raw []byte, schema Schema) (*Document, []diag.Diagnostic) {
	return parseHashed(rel, raw, "", schema)
}

// parseHashed is Parse given raw's hex SHA-256 (Document.Hash) when the caller has it
// already (loadFile keys its cache with it): "" to have it computed.
func parseHashed(rel string, raw []byte, hash string, schema Schema) (*Document, []diag.Diagnostic) {
	var ds diag.List
	limits := schema.Limits.WithDefaults()
	if !checkSize(rel, int64(len(raw)), limits, &ds) {
		return nil, ds.Items()
	}
	if hash == "" {
		hash = hashOf(raw)
	}
	doc := &Document{Path: rel, Hash: hash}
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	valid, nfc := vietnamese.CheckUTF8NFC(raw)
	if !valid {
		line, col := invalidUTF8At(raw)
		ds.Errorf(rel, line, col, "encoding", "tệp không lưu theo bảng mã UTF-8 (một byte ở đây không thuộc chữ nào): lưu lại tệp dạng UTF-8; bài lấy từ cổng cũ thì dùng `portal import`, lệnh này đọc được bảng mã Windows-1258")
		return nil, ds.Items()
	}
	doc.WasNFC = nfc
	// Dropping the CR of CRLF cannot change normalization (CR combines with nothing), so
	// text found normalized above is not checked again.
	src := raw
	if bytes.IndexByte(raw, '\r') >= 0 {
		src = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	}
	if !doc.WasNFC {
		src = []byte(vietnamese.NFC(string(src)))
	}
	setLocation(doc, rel)

	if fmEnd := frontMatterEnd(src); fmEnd > 0 {
		if line, col := config.NestingAt(src[:fmEnd], limits.MaxNesting); line > 0 {
			ds.Errorf(rel, line, col, "nesting", "giá trị trong phần đầu (front matter) lồng nhau quá %d tầng ([ hoặc {) (limits.maxNesting): kiểm tra dấu ngoặc ở đây", limits.MaxNesting)
			return nil, ds.Items()
		}
	}
	fm, body, fmLine, format, err := split(src)
	if err != nil {
		var pe *posError
		if errors.As(err, &pe) {
			ds.Errorf(rel, pe.line, pe.col, "front-matter", "%v", pe.msg)
		} else {
			ds.Errorf(rel, 1, 1, "front-matter", "%v", err)
		}
		return nil, ds.Items()
	}
	if len(bytes.TrimSpace(src)) == 0 {
		ds.Errorf(rel, 1, 1, "empty", "tệp rỗng: viết vào tệp phần đầu (ít nhất title và date giữa hai dòng ---) rồi nội dung bài, hoặc xoá tệp")
		return nil, ds.Items()
	}
	if fm == nil {
		ds.Errorf(rel, 1, 1, "front-matter", "tệp không có phần đầu (front matter): bắt đầu tệp bằng một dòng '---', rồi ít nhất hai dòng 'title:' và 'date:', rồi một dòng '---' nữa")
		return nil, ds.Items()
	}
	doc.Params = fm
	// An exact-size copy: body points into the front matter parser's read buffer, which
	// has room to spare and would otherwise stay alive with the document.
	doc.Body = bytes.Clone(body)
	doc.BodyLine = fmLine
	doc.KeyLines = NewKeyLines(keyLines(src, format))
	if doc.Kind == LegalDocument {
		doc.ValueAt = valuePositions(src, format)
	}
	if format == fmYAML {
		var lines []frontLine
		// The front matter's lines only: src up to the body has fmLine-1 line ends.
		for i, l := range strings.SplitN(string(src[:len(src)-len(body)]), "\n", fmLine)[:fmLine-1] {
			lines = append(lines, frontLine{i + 1, l})
		}
		hashWarnings(rel, lines, &ds)
	}
	if n := markdownNestingAt(doc.Body, limits.MaxNesting); n > 0 {
		ds.Errorf(rel, fmLine+n-1, 1, "nesting", "trích dẫn (>) hoặc danh sách lồng nhau quá %d tầng (limits.maxNesting): bớt dấu > hoặc thụt lề ở dòng này", limits.MaxNesting)
		return nil, ds.Items()
	}
	decodeFields(doc, fm, schema, valueFinder(doc, src, format), &ds)
	doc.Params = untypedParams(fm, doc.Kind, schema.Taxonomies)
	return doc, ds.Items()
}

// typedKeys are the front matter keys that decodeFields keeps in a Document's own fields.
var typedKeys = []string{
	"title", "date", "lastmod", "draft", "publishDate", "expiryDate", "slug", "url", "aliases",
	"summary", "description", "author", "source", "image", "image_alt", "weight",
}

// untypedParams is what of fm the Document's typed fields do not hold (Document.Params):
// the front matter is kept once. Most articles have no other key: nil then.
func untypedParams(fm map[string]any, kind Kind, taxonomies []string) map[string]any {
	typed := func(k string) bool {
		return slices.Contains(typedKeys, k) || slices.Contains(taxonomies, k) ||
			kind == LegalDocument && (k == "type" || slices.Contains(legalKeys, k))
	}
	n := 0
	for k := range fm {
		if !typed(k) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make(map[string]any, n)
	for k, v := range fm {
		if !typed(k) {
			out[k] = v
		}
	}
	return out
}

// valueAt says where the value of a front matter key is written (line, column), so that
// a message about a value points at it, not at column 1 of its key's line.
type valueAt func(key string) (line, col int)

// valueFinder is doc.Pos for a legal document, which keeps its values' places; for any
// other file the places are found in src only when a message asks for one (most files
// have none), and not kept.
func valueFinder(doc *Document, src []byte, format fmFormat) valueAt {
	if doc.Kind == LegalDocument {
		return doc.Pos
	}
	var found map[string]Pos
	return func(key string) (int, int) {
		if found == nil {
			found = valuePositions(src, format)
		}
		if p, ok := found[key]; ok {
			return p.Line, p.Col
		}
		return doc.Line(key), 1
	}
}

// hashOf is the hex SHA-256 of a file's bytes (Document.Hash).
func hashOf(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// setLocation derives Section, Name, Kind and BundleDir from the path.
func setLocation(doc *Document, rel string) {
	rel = vietnamese.NFC(rel)
	inContent := strings.TrimPrefix(rel, "content/")
	dir, file := path.Split(inContent)
	dir = strings.TrimSuffix(dir, "/")
	base := strings.TrimSuffix(file, path.Ext(file))
	if first, _, ok := strings.Cut(inContent, "/"); ok {
		doc.Section = first
	}
	switch base {
	case "_index":
		doc.Kind = SectionIndex
		doc.Name = path.Base(dir)
	case "index":
		doc.Name = path.Base(dir)
		doc.BundleDir = path.Join("content", dir)
		if !strings.Contains(dir, "/") { // content/x/index.md: a bundle at the top
			doc.Section = ""
		}
	default:
		doc.Name = base
		if dir == "" {
			doc.Kind = Standalone
		}
	}
	if doc.Section == LibrarySection && doc.Kind != SectionIndex {
		doc.Kind = LegalDocument
	}
}

type posError struct {
	line, col int
	msg       message.Text
}

func (e *posError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.col, e.msg) }

type fmFormat int

const (
	fmYAML fmFormat = iota
	fmTOML
	fmJSON
)

// split separates front matter from body with adrg/frontmatter and decodes the front matter
// into a map. It returns the map (nil if the file has none), the body, the body's first line
// and the format. Decoding errors carry file positions.
func split(src []byte) (map[string]any, []byte, int, fmFormat, error) {
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

func firstLine(src []byte) string {
	for _, l := range strings.SplitN(string(src), "\n", 50) {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

// positioned turns a decoder error into a posError with file line and column and a
// plain explanation (explain.go).
func positioned(src, captured []byte, format fmFormat, err error) error {
	off := bytes.Index(src, captured)
	if off < 0 {
		off = 0
	}
	startLine, _ := diag.Position(src, off)
	line, col := startLine, 0
	var text message.Text
	switch format {
	case fmYAML:
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = startLine + n - 1
			msg = strings.TrimSpace(yamlLineRe.ReplaceAllString(msg, ""))
			msg = strings.TrimPrefix(msg, ": ")
		}
		line, col, text = explainYAML(frontMatterLines(src, off, captured), line, msg)
	case fmTOML:
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line = startLine + pe.Position.Line - 1
			col = pe.Position.Col
			text = explainTOML(pe)
		} else {
			text = message.New("phần đầu (TOML) viết sai (chi tiết kỹ thuật: %s)", err.Error())
		}
	case fmJSON:
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col = diag.Position(src, off+int(se.Offset)-1)
		}
		text = explainJSON(err)
	}
	if col <= 0 { // the first character of the line
		l := lineOf(src, line)
		col = len([]rune(l)) - len([]rune(strings.TrimLeft(l, " \t"))) + 1
	}
	return &posError{line, col, text}
}

// normalizeMap converts YAML's map[interface{}]interface{} into map[string]any, recursively.
func normalizeMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = normalizeValue(v)
	}
	return out
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, vv := range x {
			m[fmt.Sprint(k)] = normalizeValue(vv)
		}
		return m
	case map[string]any:
		return normalizeMap(x)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalizeValue(x[i])
		}
		return out
	default:
		return v
	}
}

var (
	yamlKeyRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_\-]*)\s*:`)
	tomlKeyRe = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_\-]*)\s*=`)
	jsonKeyRe = regexp.MustCompile(`^\s*"([^"]+)"\s*:`)
)

// keyLines finds the line of each top-level front matter key.
func keyLines(src []byte, format fmFormat) map[string]int {
	out := map[string]int{}
	re := yamlKeyRe
	switch format {
	case fmTOML:
		re = tomlKeyRe
	case fmJSON:
		re = jsonKeyRe
	}
	delims := 0
	i := -1
	for line := range bytes.Lines(src) {
		i++
		// Only front matter lines become strings; keys are copied out of them, so
		// the map keeps no line (let alone the file) alive.
		l := strings.TrimSuffix(string(line), "\n")
		t := strings.TrimSpace(l)
		if format != fmJSON && (t == "---" || t == "+++") {
			delims++
			if delims == 2 {
				break
			}
			continue
		}
		if format == fmJSON && i > 0 && t == "}" {
			break
		}
		if format == fmTOML && strings.HasPrefix(t, "[") {
			continue
		}
		if format != fmJSON && l != strings.TrimLeft(l, " \t") {
			continue // nested
		}
		if m := re.FindStringSubmatch(l); m != nil {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = i + 1 // NewKeyLines copies the keys into one string
			}
		}
	}
	return out
}

func decodeFields(doc *Document, fm map[string]any, schema Schema, at valueAt, ds *diag.List) {
	taxonomies := schema.Taxonomies
	str := func(key string) string {
		v, ok := fm[key]
		if !ok || v == nil {
			return ""
		}
		switch x := v.(type) {
		case string:
			return strings.TrimSpace(x)
		case int, int64, float64, bool:
			return fmt.Sprint(x)
		}
		line, col := at(key)
		ds.Errorf(doc.Path, line, col, "front-matter", "%s phải là chữ, nhưng đang là %v", key, describe(v))
		return ""
	}
	date := func(key string) time.Time {
		v, ok := fm[key]
		if !ok || v == nil || v == "" {
			return time.Time{}
		}
		t, err := ParseDate(v)
		if err != nil {
			line, col := at(key)
			ds.Errorf(doc.Path, line, col, "front-matter", "%s: %v", key, err)
		}
		return t
	}
	doc.Title = str("title")
	doc.Summary = str("summary")
	doc.Description = str("description")
	doc.Author = str("author")
	doc.Source = str("source")
	doc.Image = str("image")
	if doc.Image != "" && !imageURLOK(doc.Image) {
		line, col := at("image")
		ds.Warnf(doc.Path, line, col, "image-url", "image %q không dùng được nên bị bỏ qua: viết đường dẫn trong trang (anh.jpg, /anh/hoi-nghi.jpg) hoặc địa chỉ đầy đủ bắt đầu bằng https://", doc.Image)
		doc.Image = ""
	}
	doc.ImageAlt = str("image_alt")
	doc.Slug = str("slug")
	doc.URL = str("url")
	doc.Date = date("date")
	doc.Lastmod = date("lastmod")
	doc.PublishDate = date("publishDate")
	doc.ExpiryDate = date("expiryDate")
	if v, ok := fm["draft"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			line, col := at("draft")
			ds.Errorf(doc.Path, line, col, "front-matter", "draft phải là true (bản nháp) hoặc false, viết không có ngoặc kép, nhưng đang là %v", describe(v))
		}
		doc.Draft = b
	}
	if v, ok := fm["weight"]; ok {
		switch x := v.(type) {
		case int:
			doc.Weight = x
		case int64:
			doc.Weight = int(x)
		case float64:
			doc.Weight = int(x)
		default:
			line, col := at("weight")
			ds.Errorf(doc.Path, line, col, "front-matter", "weight phải là một số nguyên, nhưng đang là %v", describe(v))
		}
	}
	doc.Aliases = stringList(doc, fm, "aliases", at, ds)
	terms, most := 0, ""
	for _, tax := range taxonomies {
		if vals := stringList(doc, fm, tax, at, ds); len(vals) > 0 {
			doc.Terms.Set(tax, vals)
			terms += len(vals)
			if most == "" || len(vals) > len(doc.Terms.Of(most)) {
				most = tax
			}
		}
	}
	if max := schema.Limits.WithDefaults().MaxTerms; terms > max {
		ds.Errorf(doc.Path, max1(doc.Line(most)), 1, "too-many-terms", "bài có %d tỉnh, chuyên mục và thẻ, quá giới hạn %d (limits.maxTerms trong config.toml): giữ những thẻ chính", terms, max)
	}
	if doc.Kind != SectionIndex && doc.Title == "" {
		ds.Errorf(doc.Path, max(doc.Line("title"), 1), 1, "front-matter", "bài chưa có tiêu đề: thêm vào phần đầu một dòng như 'title: \"Hội nghị tập huấn …\"'")
	}
	if doc.Kind == LegalDocument {
		decodeLegal(doc, fm, schema, str, date, ds)
	}
	if doc.Kind == Article {
		if _, ok := fm["date"]; !ok {
			ds.Errorf(doc.Path, 1, 1, "front-matter", "bài chưa có ngày đăng: thêm vào phần đầu một dòng như 'date: 2007-05-29' (giờ không ghi múi giờ là giờ Việt Nam)")
		}
	}
	if doc.Lastmod.IsZero() {
		doc.Lastmod = doc.Date
	}
	known := append(append([]string{}, knownKeys...), taxonomies...)
	if doc.Kind == LegalDocument {
		known = append(known, legalKeys...)
	}
	for key := range fm {
		if slices.Contains(known, key) {
			continue
		}
		if s, ok := suggest.Closest(key, known); ok {
			ds.Warnf(doc.Path, doc.Line(key), 1, "front-matter-key", "portal không biết trường %q: có phải định viết %q? (trường lạ vẫn được giữ cho mẫu giao diện dùng)", key, s)
		}
	}
}

// stringList accepts a list of strings or a single string. A single string with commas
// ("tags: Chuyển đổi số, Nghị định 42") is almost always a list written as text: it is
// split, with a warning that shows the list it became.
func stringList(doc *Document, fm map[string]any, key string, at valueAt, ds *diag.List) []string {
	v, ok := fm[key]
	if !ok || v == nil {
		return nil
	}
	var out []string
	add := func(s string) {
		if !singleSpaced(s) {
			s = strings.Join(strings.Fields(s), " ")
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	switch x := v.(type) {
	case string:
		if !strings.Contains(x, ",") {
			add(x)
			break
		}
		for _, part := range strings.Split(x, ",") {
			add(part)
		}
		quoted := make([]string, len(out))
		for i, s := range out {
			quoted[i] = strconv.Quote(s)
		}
		line, col := at(key)
		ds.Warnf(doc.Path, max1(line), col, "string-list", "%s được viết thành một chuỗi có dấu phẩy nên đã được tách thành danh sách [%s]; hãy viết đúng dạng danh sách như vậy trong tệp để không còn cảnh báo này", key, strings.Join(quoted, ", "))
	case []any:
		for _, e := range x {
			switch s := e.(type) {
			case string:
				add(s)
			case int, int64, float64:
				add(fmt.Sprint(s))
			default:
				line, col := at(key)
				ds.Errorf(doc.Path, line, col, "front-matter", "%s phải là danh sách các chữ, nhưng có một phần tử là %v", key, describe(e))
			}
		}
	case []string:
		for _, s := range x {
			add(s)
		}
	default:
		line, col := at(key)
		ds.Errorf(doc.Path, line, col, "front-matter", "%s phải là danh sách như [\"Hà Tĩnh\", \"Gia Lai\"], nhưng đang là %v", key, describe(v))
	}
	return out
}

// singleSpaced reports whether s is its words joined by single spaces, as
// strings.Join(strings.Fields(s), " ") would give it back: such a value is kept as it
// is, not copied (most taxonomy values; at 100,000 articles the copies were ~16 MB).
func singleSpaced(s string) bool {
	space := true // at the start, a space would be a leading one
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || space {
				return false
			}
			space = true
		} else {
			space = false
		}
	}
	return s == "" || !space
}

func max1(n int) int { return max(n, 1) }

// imageURLOK reports whether the image field is a path inside the site ("anh.jpg",
// "/anh/x.jpg") or an absolute http(s) URL. A protocol-relative "//host/x.png" made
// og:image "http://site//host/x.png"; other schemes (javascript:, data:) are refused too.
func imageURLOK(v string) bool {
	u, err := url.Parse(v)
	switch {
	case err != nil || strings.ContainsAny(v, "\\\t\n") || strings.HasPrefix(v, "//"):
		return false
	case u.Scheme == "":
		return u.Host == "" && !strings.Contains(u.Path, "..")
	default:
		return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}
}

// checkSize reports a file of size bytes over the limits in ds; it returns false when the
// file is refused (over limits.ArticleMaxKB), with a warning over ArticleWarnKB.
func checkSize(rel string, size int64, limits config.Limits, ds *diag.List) bool {
	switch kb := size / 1024; {
	case kb > int64(limits.ArticleMaxKB):
		ds.Errorf(rel, 1, 1, "too-large", "tệp dài %s, quá giới hạn %s (limits.articleMaxKB trong config.toml): tách thành nhiều bài, hoặc đưa văn bản dài vào tệp đính kèm", sizeText(size), sizeText(int64(limits.ArticleMaxKB)*1024))
		return false
	case kb > int64(limits.ArticleWarnKB):
		ds.Warnf(rel, 1, 1, "large", "tệp dài %s, hơn %s (limits.articleWarnKB trong config.toml): trang của bài sẽ nặng khi xem trên điện thoại; nên tách bài hoặc đưa văn bản dài vào tệp đính kèm", sizeText(size), sizeText(int64(limits.ArticleWarnKB)*1024))
	}
	return true
}

// sizeText formats a size in bytes for messages: "1,5 MB", "800 KB".
func sizeText(n int64) string {
	if n >= 1<<20 {
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	}
	return fmt.Sprintf("%d KB", n/1024)
}

// describe names a front matter value's kind and value for messages.
func describe(v any) message.Text {
	switch v.(type) {
	case map[string]any:
		return message.New("một nhóm trường lồng nhau")
	case []any:
		return message.New("một danh sách")
	case bool:
		return message.New("giá trị đúng/sai %v", v)
	case string:
		return message.New("chữ %q", v)
	}
	return message.New("%v", v)
}

var dateLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"02/01/2006 15:04",
	"02/01/2006",
	"2/1/2006",
}

// invalidUTF8At returns the 1-based line and column (in characters) of the first byte
// of raw that is not valid UTF-8.
func invalidUTF8At(raw []byte) (line, col int) {
	line, col = 1, 1
	for len(raw) > 0 {
		r, n := utf8.DecodeRune(raw)
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		raw = raw[n:]
	}
	return line, col
}

// ParseDate accepts a TOML/YAML date value or a string in RFC 3339, "2006-01-02[ 15:04[:05]]"
// or the Vietnamese "29/05/2007[ 15:04]". A time without a zone is in Asia/Ho_Chi_Minh.
func ParseDate(v any) (time.Time, error) {
	loc := vietnamese.Location()
	switch x := v.(type) {
	case time.Time:
		if name := x.Location().String(); strings.Contains(name, "local") || x.Location() == time.Local {
			// TOML local date/time: no zone was written.
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), loc), nil
		}
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, nil
		}
		for _, layout := range dateLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, nil
			}
		}
		if t, ok := impossibleDate(s); ok {
			return time.Time{}, &message.Error{Text: t}
		}
		return time.Time{}, message.Errorf("%q không phải ngày: viết theo dạng 2007-05-29, 2007-05-29T15:17:00+07:00 hoặc 29/05/2007", s)
	}
	return time.Time{}, message.Errorf("%v không phải ngày: viết theo dạng 2007-05-29", v)
}
