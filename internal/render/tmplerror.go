package render

import (
	"errors"
	htmltemplate "html/template"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/suggest"
)

// Template errors in the words of the people who edit a theme. text/template and
// html/template report in English ("template: article.html:48:11: executing "main" at
// <.KhongCo>: can't evaluate field KhongCo in type *site.Article"), with the template's
// name where the file's path is wanted, and a partial's failure nested inside its
// caller's. TemplateError takes such an error apart: the innermost file, line and column
// first, the action that failed, a Vietnamese cause that says how to fix it, and the calls
// that led there. Causes the tables below do not know keep Go's English words after a
// Vietnamese lead, rather than being lost.

// CodeTheme is the diagnostic code of a theme's template error (diag.Rules).
const CodeTheme = "theme"

// TemplateError is a template that failed to parse or to run.
type TemplateError struct {
	Path      string // the template file, as Theme.Files names it
	Line, Col int    // 1-based; 0 when unknown (a parse error has no column)
	// Action is the failing action as text/template shows it (".KhongCo", "index .Tags 9",
	// cut after 20 characters), "" when unknown.
	Action string
	Cause  message.Text
	// Via are the places ("path:line:col") of the calls that led to Path, innermost
	// first: the partialCached that called a failing partial, and so on outwards.
	Via []string
}

// Error is the error in Vietnamese, "path:line:col: what went wrong".
func (e *TemplateError) Error() string { return e.In(message.Vi) }

// In is the error in l, "path:line:col: what went wrong".
func (e *TemplateError) In(l message.Lang) string {
	return diag.Place(e.Path, e.Line, e.Col) + ": " + e.Text().In(l)
}

// Diagnostic is the error as a diagnostic at its innermost place.
func (e *TemplateError) Diagnostic() diag.Diagnostic {
	return diag.Errorf(e.Path, e.Line, e.Col, CodeTheme, "%v", e.Text())
}

// Text is what went wrong, without the place: the action, the cause and the calls.
func (e *TemplateError) Text() message.Text {
	switch {
	case e.Action != "" && len(e.Via) > 0:
		return message.New("tại {{ %s }}: %v; gọi từ %s", e.Action, e.Cause, strings.Join(e.Via, ", gọi từ "))
	case e.Action != "":
		return message.New("tại {{ %s }}: %v", e.Action, e.Cause)
	case len(e.Via) > 0:
		return message.New("%v; gọi từ %s", e.Cause, strings.Join(e.Via, ", gọi từ "))
	}
	return e.Cause
}

var (
	// "template: partials/x.html:1:3: executing "partials/x.html" at <.KhongCo>: cause"
	execPrefixRe = regexp.MustCompile(`^template: ([^:]+):(\d+):(\d+): executing "(?:[^"\\]|\\.)*" at <`)
	// "template: article.html:12: cause" (a parse error: no column)
	parsePrefixRe = regexp.MustCompile(`^template: ([^:]+):(\d+): `)
	// "html/template:partials/x.html:1:12: cause", "html/template:x.html: cause"
	escapePrefixRe = regexp.MustCompile(`^html/template:([^:]+?)(?::(\d+))?(?::(\d+))?: `)
)

// execError turns an error of executing one of the theme's templates on data into a
// *TemplateError at the innermost template that failed.
func (t *Theme) execError(err error, data any) error {
	msg := err.Error()
	var inner *TemplateError
	if errors.As(err, &inner) {
		// A partial the template called failed: keep the partial's place and add the call.
		e := *inner
		if m := execPrefixRe.FindStringSubmatch(msg); m != nil {
			line, col := t.place(m[1], m[2], m[3])
			e.Via = append(slices.Clone(e.Via), t.fileOf(m[1])+":"+strconv.Itoa(line)+":"+strconv.Itoa(col))
		}
		return &e
	}
	var he *htmltemplate.Error
	if errors.As(err, &he) {
		e := &TemplateError{Path: t.fileOf(he.Name), Line: he.Line}
		if m := escapePrefixRe.FindStringSubmatch(he.Error()); m != nil {
			e.Path = t.fileOf(m[1])
			e.Line, e.Col = t.place(m[1], m[2], m[3])
		}
		if he.ErrorCode == htmltemplate.ErrEndContext && e.Line == 0 {
			// html/template knows only that the file ended inside something: say where
			// that something was opened.
			if src, ok := t.sources[he.Name]; ok {
				e.Line, e.Col = unclosedAt(src)
			}
		}
		e.Cause = escapeCause(he)
		return e
	}
	if m := execPrefixRe.FindStringSubmatch(msg); m != nil {
		e := &TemplateError{Path: t.fileOf(m[1])}
		e.Line, e.Col = t.place(m[1], m[2], m[3])
		rest := msg[len(m[0]):]
		// The action is cut after 20 characters by text/template and may hold ">": the
		// cause starts after the first ">: " that leaves a known cause, else the first.
		end := strings.Index(rest, ">: ")
		for i := end; i >= 0; {
			if _, known := execCause(rest[i+3:]); known {
				end = i
				break
			}
			j := strings.Index(rest[i+3:], ">: ")
			if j < 0 {
				break
			}
			i += 3 + j
		}
		if end < 0 {
			e.Cause = message.New("mẫu không chạy được: %s", rest)
			return e
		}
		e.Action = rest[:end]
		e.Cause, _ = execCause(rest[end+3:])
		if m := noFieldRe.FindStringSubmatch(rest[end+3:]); m != nil {
			if s, ok := nameLike(data, m[2], m[1]); ok {
				e.Cause = message.New("%s không có trường hay phương thức %s: có phải là %s? (tên phân biệt chữ hoa, chữ thường)", m[2], m[1], s)
			}
		}
		var loc message.Localizer
		if m := errCallingRe.FindStringSubmatch(rest[end+3:]); m != nil && errors.As(err, &loc) {
			// A function of the theme's map failed with its own (catalogued) message.
			e.Cause = message.New("hàm %s báo lỗi: %v", m[1], loc)
		}
		return e
	}
	if m := parsePrefixRe.FindStringSubmatch(msg); m != nil {
		e := &TemplateError{Path: t.fileOf(m[1])}
		e.Line, _ = strconv.Atoi(m[2])
		e.Cause, _ = execCause(msg[len(m[0]):])
		return e
	}
	return err
}

// place turns text/template's line and column of a template name ("12", "7": the
// column is a 0-based byte offset in the line) into the 1-based line and the column in
// characters that an editor shows; the column is 0 when absent.
func (t *Theme) place(name, line, col string) (int, int) {
	l, _ := strconv.Atoi(line)
	if col == "" {
		return l, 0
	}
	c, _ := strconv.Atoi(col)
	src, ok := t.sources[name]
	for i := 1; ok && i < l; i++ {
		_, src, ok = strings.Cut(src, "\n")
	}
	if ok && c <= len(src) {
		return l, utf8.RuneCountInString(src[:c]) + 1
	}
	return l, c + 1
}

// unclosedAt finds in a template's text the 1-based line and character column where the
// HTML construct left open at the end of the file begins: the quote of an attribute
// value, else the "<" of a tag, a comment's "<!--" or a <script>/<style> element's tag.
// Template actions are skipped. It is 0, 0 when nothing is open, a case html/template's
// own reading of the file could still differ on (a construct only an action's output
// opens).
func unclosedAt(src string) (line, col int) {
	const (
		text = iota
		tag
		quoted
		comment
		raw
	)
	state, at, quoteAt := text, -1, -1
	var quote byte
	var rawEnd string
	for i := 0; i < len(src); {
		if strings.HasPrefix(src[i:], "{{") {
			i = actionEnd(src, i+2)
			continue
		}
		c := src[i]
		switch state {
		case text:
			switch {
			case strings.HasPrefix(src[i:], "<!--"):
				state, at = comment, i
				i += 4
				continue
			case c == '<' && i+1 < len(src) && (isASCIILetter(src[i+1]) || src[i+1] == '/' || src[i+1] == '!'):
				state, at, rawEnd = tag, i, ""
				for _, el := range []string{"script", "style"} {
					if n := len(el) + 1; len(src) >= i+n && strings.EqualFold(src[i+1:i+n], el) && (len(src) == i+n || !isASCIILetter(src[i+n])) {
						rawEnd = "</" + el
					}
				}
			}
		case tag:
			switch c {
			case '"', '\'':
				state, quote, quoteAt = quoted, c, i
			case '>':
				state = text
				if rawEnd != "" {
					state = raw
				}
			}
		case quoted:
			if c == quote {
				state = tag
			}
		case comment:
			if strings.HasPrefix(src[i:], "-->") {
				state = text
				i += 3
				continue
			}
		case raw:
			if len(src) >= i+len(rawEnd) && strings.EqualFold(src[i:i+len(rawEnd)], rawEnd) {
				state, at = tag, i
				rawEnd = ""
				i += 2
				continue
			}
		}
		i++
	}
	switch state {
	case text:
		return 0, 0
	case quoted:
		at = quoteAt
	}
	before := src[:at]
	line = strings.Count(before, "\n") + 1
	return line, utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
}

// actionEnd is the index after the "}}" that closes the template action whose text
// starts at i, skipping the action's quoted strings, raw strings and characters.
func actionEnd(src string, i int) int {
	for i < len(src) {
		switch src[i] {
		case '}':
			if strings.HasPrefix(src[i:], "}}") {
				return i + 2
			}
		case '"', '\'':
			q := src[i]
			for i++; i < len(src) && src[i] != q; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '`':
			if j := strings.IndexByte(src[i+1:], '`'); j >= 0 {
				i += j + 1
			}
		}
		i++
	}
	return len(src)
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// fileOf is the file a template name was read from, the name itself when unknown.
func (t *Theme) fileOf(name string) string {
	if f, ok := t.Files[name]; ok {
		return f
	}
	return name
}

// parseError turns text/template's error parsing file into a diagnostic error at the
// file's line. funcs are the functions the templates may call, for a misspelt one.
func parseError(file string, err error, funcs htmltemplate.FuncMap) error {
	msg := err.Error()
	e := &TemplateError{Path: file}
	if m := parsePrefixRe.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[2])
		msg = msg[len(m[0]):]
	}
	e.Cause = parseCause(msg, slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(funcs)), builtinFuncs...))))
	return &diag.Errors{Items: []diag.Diagnostic{e.Diagnostic()}}
}

// builtinFuncs are text/template's own functions, for suggestions and lists.
var builtinFuncs = []string{"and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or", "print", "printf", "println", "slice", "urlquery"}

var (
	notDefinedRe = regexp.MustCompile(`^function "(.*)" not defined$`)
	undefVarRe   = regexp.MustCompile(`^undefined variable "(.*)"$`)
	missingRe    = regexp.MustCompile(`^missing value for (\w+)$`)
	unexpectedRe = regexp.MustCompile(`^unexpected (.+?)(?: in (.+))?$`)
	badNumberRe  = regexp.MustCompile(`^bad number syntax: "(.*)"$`)
)

// parseCause says in Vietnamese what is wrong with a template's syntax (text/template's
// parse error msg, without its place) and how to fix it.
func parseCause(msg string, funcs []string) message.Text {
	if m := notDefinedRe.FindStringSubmatch(msg); m != nil {
		if s, ok := suggest.Closest(m[1], funcs); ok {
			return message.New("không có hàm %q: có phải là %q? (tên hàm phân biệt chữ hoa, chữ thường)", m[1], s)
		}
		return message.New("không có hàm %q: kiểm tra tên hàm (phân biệt chữ hoa, chữ thường); các hàm có: %s", m[1], strings.Join(funcs, ", "))
	}
	if m := undefVarRe.FindStringSubmatch(msg); m != nil {
		return message.New("biến %s chưa được gán: gán trước khi dùng, ví dụ {{ %s := .Title }}; một biến gán trong {{ if }}, {{ range }} hay {{ with }} chỉ dùng được đến {{ end }} của khối đó", m[1], m[1])
	}
	if m := missingRe.FindStringSubmatch(msg); m != nil {
		return message.New("{{ %s }} thiếu giá trị để xét: viết {{ %s .Title }} chẳng hạn", m[1], m[1])
	}
	if m := badNumberRe.FindStringSubmatch(msg); m != nil {
		return message.New("%q không phải là một số: viết chuỗi trong dấu ngoặc kép, ví dụ \"%s\"", m[1], m[1])
	}
	switch msg {
	case "unexpected EOF":
		return message.New("tệp kết thúc khi một khối {{ if }}, {{ range }}, {{ with }}, {{ define }} hay {{ block }} chưa đóng: thêm {{ end }} cho khối đó")
	case "unexpected {{end}}":
		return message.New("{{ end }} thừa: không có khối {{ if }}, {{ range }}, {{ with }}, {{ define }} hay {{ block }} nào đang mở; xoá nó, hoặc mở khối trước")
	case "unexpected {{else}}":
		return message.New("{{ else }} nằm ngoài khối {{ if }}, {{ range }} hay {{ with }}: đặt nó trong một khối, trước {{ end }}")
	case "unclosed action":
		return message.New("lệnh mở bằng {{ nhưng không đóng: thêm }} ở cuối lệnh")
	case "unclosed comment":
		return message.New("chú thích mở bằng {{/* nhưng không đóng: thêm */}}")
	case "unterminated quoted string":
		return message.New("chuỗi mở dấu \" nhưng không đóng: thêm dấu \" ở cuối chuỗi")
	case "unterminated raw quoted string":
		return message.New("chuỗi mở dấu ` nhưng không đóng: thêm dấu ` ở cuối chuỗi")
	case "unclosed left paren":
		return message.New("mở ngoặc ( mà không đóng: thêm )")
	case "unexpected right paren":
		return message.New("dấu ) thừa: xoá nó, hoặc thêm ( ở chỗ bắt đầu")
	case "{{break}} outside {{range}}", "{{continue}} outside {{range}}":
		return message.New("{{ break }} và {{ continue }} chỉ dùng được trong {{ range }}")
	}
	if m := unexpectedRe.FindStringSubmatch(msg); m != nil {
		return message.New("%s không đúng chỗ: kiểm tra cú pháp của lệnh {{ … }} này (Go báo: %s)", m[1], msg)
	}
	return message.New("mẫu sai cú pháp: %s", msg)
}

var (
	noFieldRe     = regexp.MustCompile(`^can't evaluate field (\S+) in type (\S+)$`)
	nilPointerRe  = regexp.MustCompile(`^nil pointer evaluating (\S+)\.(\S+)$`)
	wrongArgsRe   = regexp.MustCompile(`^wrong number of args for (\S+): want (at least )?(\d+) got (\d+)$`)
	errCallingRe  = regexp.MustCompile(`^error calling (\S+): (.*)$`)
	outOfRangeRe  = regexp.MustCompile(`^index out of range: (-?\d+)$`)
	rangeOverRe   = regexp.MustCompile(`^range can't iterate over (.*)$`)
	noArgsRe      = regexp.MustCompile(`^(\S+) (?:has arguments but cannot be invoked as function|is not a method but has arguments)$`)
	wrongTypeRe   = regexp.MustCompile(`^wrong type for value; expected (\S+); got (\S+)$`)
	comparisonRe  = regexp.MustCompile(`^(?:incompatible types for comparison|invalid type for comparison)`)
	noTemplateRe  = regexp.MustCompile(`^(?:no such template "(.*)"|template "(.*)" not defined)$`)
	maxDepthRe    = regexp.MustCompile(`^exceeded maximum template depth \((\d+)\)$`)
	nonFunctionRe = regexp.MustCompile(`^(?:can't give argument to non-function|non-function) (\S+)`)
)

// execCause says in Vietnamese why a template stopped (text/template's cause, after the
// action) and how to fix it; known is false when no rule matched and Go's words are
// kept.
func execCause(msg string) (c message.Text, known bool) {
	if m := errCallingRe.FindStringSubmatch(msg); m != nil {
		inner, ok := execCause(m[2])
		return message.New("hàm %s báo lỗi: %v", m[1], inner), ok
	}
	if m := noFieldRe.FindStringSubmatch(msg); m != nil {
		return message.New("%s không có trường hay phương thức %s: kiểm tra tên (phân biệt chữ hoa, chữ thường) và giá trị đang là dấu chấm (.) ở chỗ này", m[2], m[1]), true
	}
	if m := nilPointerRe.FindStringSubmatch(msg); m != nil {
		return message.New("không có giá trị (nil) kiểu %s để đọc %s: bọc lệnh trong {{ with … }} hay {{ if … }} để bỏ qua khi không có", m[1], m[2]), true
	}
	if m := wrongArgsRe.FindStringSubmatch(msg); m != nil {
		if m[2] != "" {
			return message.New("hàm %s cần ít nhất %s đối số nhưng được truyền %s", m[1], m[3], m[4]), true
		}
		return message.New("hàm %s cần %s đối số nhưng được truyền %s", m[1], m[3], m[4]), true
	}
	if m := outOfRangeRe.FindStringSubmatch(msg); m != nil {
		return message.New("vị trí %s nằm ngoài danh sách: kiểm tra độ dài trước, ví dụ {{ if gt (len .Tags) %s }}", m[1], m[1]), true
	}
	if m := rangeOverRe.FindStringSubmatch(msg); m != nil {
		return message.New("{{ range }} không lặp được trên %s: range cần một danh sách, một bảng (map) hay một số nguyên", m[1]), true
	}
	if m := noArgsRe.FindStringSubmatch(msg); m != nil {
		return message.New("%s là một giá trị, không phải hàm: bỏ các đối số sau nó", m[1]), true
	}
	if m := nonFunctionRe.FindStringSubmatch(msg); m != nil {
		return message.New("%s không phải là hàm nên không nhận đối số", m[1]), true
	}
	if m := wrongTypeRe.FindStringSubmatch(msg); m != nil {
		return message.New("giá trị sai kiểu: cần %s, được %s", m[1], m[2]), true
	}
	if comparisonRe.MatchString(msg) {
		return message.New("so sánh hai giá trị khác kiểu (%s): chuyển về cùng kiểu trước, ví dụ so sánh chuỗi với chuỗi", msg), true
	}
	if m := maxDepthRe.FindStringSubmatch(msg); m != nil {
		return message.New("các mẫu gọi nhau lồng quá %s tầng: có lẽ một partial gọi lại chính nó", m[1]), true
	}
	if m := noTemplateRe.FindStringSubmatch(msg); m != nil {
		return message.New("không có mẫu %q: tên phải là một tệp trong layouts/ của giao diện, ví dụ \"partials/footer.html\"", m[1]+m[2]), true
	}
	if msg == "nil is not a command" {
		return message.New("nil không phải là một lệnh: bỏ nó đi"), true
	}
	return message.New("mẫu không chạy được: %s", msg), false
}

// escapeCause says in Vietnamese what html/template found wrong with a template's
// HTML, by the error's code; its own English description stays as a detail.
func escapeCause(e *htmltemplate.Error) message.Text {
	switch e.ErrorCode {
	case htmltemplate.ErrNoSuchTemplate:
		name := e.Description
		if i := strings.Index(name, `"`); i >= 0 {
			name = strings.Trim(name[i:], `"`)
		}
		return message.New("không có mẫu %q: tên phải là một tệp trong layouts/ của giao diện, ví dụ \"partials/footer.html\"", name)
	case htmltemplate.ErrBadHTML:
		return message.New("HTML sai cú pháp (%s): kiểm tra dấu ngoặc kép và dấu < > của thẻ quanh chỗ này", e.Description)
	case htmltemplate.ErrEndContext:
		return message.New("mẫu kết thúc giữa một thẻ, một thuộc tính, một chú thích hay một đoạn script chưa đóng: đóng nó trước cuối tệp")
	case htmltemplate.ErrBranchEnd:
		return message.New("hai nhánh của khối này kết thúc ở hai chỗ khác nhau của HTML (một nhánh mở thẻ hay thuộc tính mà nhánh kia không): đóng thẻ, thuộc tính trong mỗi nhánh")
	case htmltemplate.ErrRangeLoopReentry:
		return message.New("vòng {{ range }} kết thúc ở chỗ khác của HTML so với lúc bắt đầu: đóng mọi thẻ, thuộc tính mở trong vòng lặp trước {{ end }}")
	case htmltemplate.ErrAmbigContext:
		return message.New("giá trị chèn vào chỗ không rõ trong HTML (ví dụ giữa một URL đang mở): viết lại để {{ … }} đứng trọn trong một thuộc tính có dấu ngoặc kép")
	case htmltemplate.ErrPartialCharset, htmltemplate.ErrPartialEscape, htmltemplate.ErrSlashAmbig, htmltemplate.ErrJSTemplate:
		return message.New("giá trị chèn vào giữa một đoạn JavaScript hay CSS ở chỗ không thoát ký tự an toàn được (%s): đưa giá trị vào một thuộc tính data-… và đọc nó từ script", e.Description)
	case htmltemplate.ErrPredefinedEscaper:
		return message.New("không dùng html hay urlquery trong mẫu HTML: bỏ chúng, mẫu tự thoát ký tự theo chỗ chèn")
	}
	return message.New("mẫu HTML không an toàn để chèn giá trị: %s", e.Description)
}

// nameLike finds, among the exported fields and methods of the type named typ (as
// reflect prints it: "*site.Article") reachable from data's type, the name closest to
// name, a misspelling of it. Only called for an error: it walks the types anew.
func nameLike(data any, typ, name string) (string, bool) {
	if data == nil {
		return "", false
	}
	seen := map[reflect.Type]bool{}
	queue := []reflect.Type{reflect.TypeOf(data)}
	for len(queue) > 0 && len(seen) < 5000 {
		t := queue[0]
		queue = queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		var names []string
		for i := range t.NumMethod() {
			m := t.Method(i)
			names = append(names, m.Name)
			if m.Type.NumOut() > 0 {
				queue = append(queue, m.Type.Out(0))
			}
		}
		st := t
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() == reflect.Struct {
			for _, f := range reflect.VisibleFields(st) {
				if f.IsExported() {
					names = append(names, f.Name)
					queue = append(queue, f.Type)
				}
			}
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			queue = append(queue, t.Elem())
		}
		if t.String() == typ {
			return suggest.Closest(name, names)
		}
	}
	return "", false
}
