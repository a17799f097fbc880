package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/mail"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/tomlpos"
	"github.com/vnportal/portal/internal/vietnamese"
)

// OrganizationFile is the agency's data file, relative to the site folder: what
// Decree 42/2022/NĐ-CP (Articles 4 and 7) and Decree 09/2017/NĐ-CP ask a portal to
// publish about its organisation. It feeds the footer, the contact page, the English
// page and the structured data; config.toml's [organization] is its older, smaller form.
const OrganizationFile = "data/to-chuc.toml"

// Person is a leader or the press spokesperson.
type Person struct {
	Name    string `toml:"name"`
	Title   string `toml:"title"`   // chức vụ: "Giám đốc Sở"
	TitleEN string `toml:"titleEN"` // for the English page: "Director"
	Phone   string `toml:"phone"`
	Email   string `toml:"email"`
}

// Unit is a department or unit of the agency (phòng, ban, đơn vị trực thuộc).
type Unit struct {
	Name    string `toml:"name"`
	NameEN  string `toml:"nameEN"`
	Head    string `toml:"head"` // người đứng đầu: "Chánh Văn phòng Nguyễn Văn A"
	Phone   string `toml:"phone"`
	Email   string `toml:"email"`
	Address string `toml:"address"`
}

// orgScalars are the keys of Organization that config.toml's [organization] had, in
// the order messages list them.
var orgScalars = []string{"name", "agency", "responsible", "license", "address", "phone", "email", "website", "nameEN", "agencyEN", "addressEN"}

// orgKeys are all keys of the organisation file.
var orgKeys = append(slices.Clone(orgScalars), "leader", "spokesperson", "unit")

var (
	personKeys = []string{"name", "title", "titleEN", "phone", "email"}
	unitKeys   = []string{"name", "nameEN", "head", "phone", "email", "address"}
)

// HasContacts reports whether there is anything for a contact page beyond the footer.
func (o Organization) HasContacts() bool {
	return len(o.Leaders) > 0 || o.Spokesperson.Name != "" || len(o.Units) > 0
}

// loadOrganization reads OrganizationFile into cfg.Organization. The keys config.toml's
// [organization] sets keep working: one the file does not set is taken, with a warning
// to move it; one the file sets alike is a warning to delete it; one the file sets
// otherwise is an error naming both places (which value is right is for people to say).
func loadOrganization(fsys fs.FS, dir, cfgText string, cfg *Config, ds *diag.List) {
	path, cfgPath := OrganizationFile, filepath.Join(dir, FileName)
	src, err := fs.ReadFile(fsys, path)
	if errors.Is(err, fs.ErrNotExist) {
		checkContacts(cfg.Organization, cfgPath, tomlpos.Scan(cfgText), "organization.", ds)
		return
	}
	if err != nil {
		ds.Errorf(path, 0, 0, "organization", "không đọc được tệp thông tin cơ quan: %v", err)
		return
	}
	text := vietnamese.NFC(strings.TrimPrefix(string(src), "\uFEFF"))
	if line, col := NestingAt([]byte(text), DefaultLimits().MaxNesting); line > 0 {
		ds.Errorf(path, line, col, "organization", "giá trị lồng nhau quá %d tầng ([ hoặc {): kiểm tra dấu ngoặc ở đây", DefaultLimits().MaxNesting)
		return
	}
	var file Organization
	md, err := toml.Decode(text, &file)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			ds.Errorf(path, pe.Position.Line, pe.Position.Col, "organization", "tệp thông tin cơ quan viết sai ở đây (chi tiết kỹ thuật: %s): mỗi dòng là tên = giá trị, chữ đặt trong ngoặc kép; mỗi lãnh đạo là một khối [[leader]], mỗi đơn vị một khối [[unit]]", pe.Message)
		} else if te, ok := orgTypeError(text, err); ok {
			switch te.want {
			case "string":
				ds.Errorf(path, te.line, te.col, "organization", "%s phải là chữ trong ngoặc kép, ví dụ %s = \"…\", nhưng đang là %s", te.key, te.last, te.got)
			case "slice":
				ds.Errorf(path, te.line, te.col, "organization", "%s là danh sách: mỗi mục viết thành một khối [[%s]] riêng, các dòng name = \"…\", title = \"…\" bên dưới (xem tệp mẫu)", te.key, te.key)
			default:
				ds.Errorf(path, te.line, te.col, "organization", "%s là một khối: viết [%s] trên một dòng riêng, các dòng name = \"…\", phone = \"…\" bên dưới (xem tệp mẫu)", te.key, te.key)
			}
		} else {
			ds.Errorf(path, 1, 1, "organization", "tệp thông tin cơ quan viết sai: %v", err)
		}
		return
	}
	ix := tomlpos.Scan(text)
	for _, key := range md.Undecoded() {
		k := key.String()
		known := orgKeys
		switch {
		case len(key) > 1 && key[0] == "leader", len(key) > 1 && key[0] == "spokesperson":
			known = personKeys
		case len(key) > 1 && key[0] == "unit":
			known = unitKeys
		}
		pos := ix.Key(undecodedPath(text, key))
		if s, ok := suggest.Closest(key[len(key)-1], known); ok {
			ds.Warnf(path, pos.Line, pos.Col, "config-unknown-key", "portal không biết khóa %q nên bỏ qua nó: có phải là %q?", k, s)
		} else {
			ds.Warnf(path, pos.Line, pos.Col, "config-unknown-key", "portal không biết khóa %q nên bỏ qua nó; các khóa dùng được: %s", k, strings.Join(known, ", "))
		}
	}
	// What config.toml's [organization] sets, key by key.
	old := cfg.Organization
	cfgIx := tomlpos.Scan(cfgText)
	merged := file
	ov, fv, mv := reflect.ValueOf(old), reflect.ValueOf(file), reflect.ValueOf(&merged).Elem()
	for i := range ov.NumField() {
		f := ov.Type().Field(i)
		key := strings.Split(f.Tag.Get("toml"), ",")[0]
		inConfig := !ov.Field(i).IsZero()
		if !inConfig {
			continue
		}
		at := cfgIx.Key("organization." + key)
		switch {
		case fv.Field(i).IsZero():
			mv.Field(i).Set(ov.Field(i))
			ds.Warnf(cfgPath, at.Line, at.Col, "organization-moved", "thông tin cơ quan nay ở %s: chuyển organization.%s sang tệp đó (%s = …) rồi xoá dòng này khỏi config.toml", OrganizationFile, key, key)
		case reflect.DeepEqual(ov.Field(i).Interface(), fv.Field(i).Interface()):
			ds.Warnf(cfgPath, at.Line, at.Col, "organization-moved", "organization.%s đã có trong %s với cùng giá trị: xoá dòng này khỏi config.toml", key, OrganizationFile)
		default:
			fp := ix.Key(key)
			ds.Errorf(cfgPath, at.Line, at.Col, "organization", "organization.%s trong config.toml (%v) khác với %s trong %s:%d (%v): thông tin cơ quan nay ở %s; giữ giá trị đúng ở đó và xoá dòng này khỏi config.toml", key, show(ov.Field(i)), key, OrganizationFile, fp.Line, show(fv.Field(i)), OrganizationFile)
		}
	}
	cfg.Organization = merged
	checkContacts(file, path, ix, "", ds)
	checkContacts(old, cfgPath, cfgIx, "organization.", ds)
}

// undecodedPath is a key of md.Undecoded as a tomlpos path: array tables get their
// index (the last one, as the key was seen in the last table of that name).
func undecodedPath(text string, key toml.Key) string {
	if len(key) > 1 && (key[0] == "leader" || key[0] == "unit") {
		n := strings.Count(text, "[["+key[0]+"]]")
		return tomlpos.Table(key[0], max(n-1, 0)) + "." + strings.Join(key[1:], ".")
	}
	return strings.Join(key, ".")
}

// show is a value of an Organization field in a message: text quoted, a list or a
// person by its number of entries.
func show(v reflect.Value) any {
	switch v.Kind() {
	case reflect.String:
		return fmt.Sprintf("%q", v.String())
	case reflect.Slice:
		return message.New("%d mục", v.Len())
	}
	return message.New("%d mục", 1)
}

// checkContacts warns about phone numbers and e-mail addresses of o that do not look
// like ones (rule "contact"): they become tel: and mailto: links.
func checkContacts(o Organization, path string, ix tomlpos.Index, prefix string, ds *diag.List) {
	check := func(key, phone, email string) {
		if phone != "" && !PhoneOK(phone) {
			p := ix.Key(prefix + key + "phone")
			ds.Warnf(path, p.Line, p.Col, "contact", "số điện thoại %q không giống số ở Việt Nam: viết như \"0203 3822 123\", \"0912 345 678\", \"+84 203 3822 123\" hoặc \"1900 1234\" (có thể thêm \"máy lẻ 105\")", phone)
		}
		if email != "" && !EmailOK(email) {
			p := ix.Key(prefix + key + "email")
			ds.Warnf(path, p.Line, p.Col, "contact", "địa chỉ thư điện tử %q không đúng dạng ten@co-quan.gov.vn", email)
		}
	}
	check("", o.Phone, o.Email)
	for i, l := range o.Leaders {
		check(tomlpos.Table("leader", i)+".", l.Phone, l.Email)
	}
	check("spokesperson.", o.Spokesperson.Phone, o.Spokesperson.Email)
	for i, u := range o.Units {
		check(tomlpos.Table("unit", i)+".", u.Phone, u.Email)
	}
}

var (
	phoneExtRe = regexp.MustCompile(`(?i)\s*[,;]?\s*\(?\s*(máy lẻ|số lẻ|nhánh|ext\.?|x)\s*\d{1,5}\s*\)?\s*$`)
	phoneRe    = regexp.MustCompile(`^(?:(?:\+84|0084|0)\d{8,10}|1[89]00\d{4,6}|1\d{2,3})$`)
)

// PhoneOK reports whether s looks like a Vietnamese phone number: a landline or
// mobile number with 0 or +84 ("0203 3822 123", "+84 912 345 678"), a 1800/1900
// service number or a short one (113, 1022), with an optional extension ("máy lẻ 105").
// Spaces, dots, dashes and brackets are allowed anywhere.
func PhoneOK(s string) bool {
	d := phoneDigits(s)
	return phoneRe.MatchString(d)
}

func phoneDigits(s string) string {
	s = phoneExtRe.ReplaceAllString(vietnamese.NFC(s), "")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" .-()/\u00a0", r):
		default:
			return "x"
		}
	}
	return b.String()
}

// TelURI is a phone number as a tel: link's target ("+842033822123"); "" when it does
// not look like one.
func TelURI(s string) string {
	d := phoneDigits(s)
	if !phoneRe.MatchString(d) {
		return ""
	}
	switch {
	case strings.HasPrefix(d, "0084"):
		return "+84" + d[4:]
	case strings.HasPrefix(d, "0"):
		return "+84" + d[1:]
	}
	return d
}

// EmailOK reports whether s is a plain e-mail address (name@domain.tld).
func EmailOK(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// PhoneIntl writes a Vietnamese number for readers abroad: "0203 3822 123" becomes
// "+84 203 3822 123"; other numbers are returned as they are.
func PhoneIntl(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "0") && !strings.HasPrefix(t, "00") && TelURI(t) != "" {
		return "+84 " + strings.TrimSpace(t[1:])
	}
	return s
}

// typeError is a value of the organisation file of the wrong type, from the TOML
// decoder's message (it has no structured form): where the value is, the key, what it
// is and what it must be ("string", "slice" for [[leader]] and [[unit]], else a table).
type typeError struct {
	line, col int
	key, last string
	got       any // a message.Text, or the decoder's type name
	want      string
}

var (
	typeErrRe     = regexp.MustCompile(`line (\d+) \(last key "([^"]+)"\): incompatible types: TOML value has type ([^;]+); destination has type (\S+)`)
	mismatchErrRe = regexp.MustCompile(`line (\d+) \(last key "([^"]+)"\): type mismatch for \S+: expected (\S+) but found (\S+)`)
)

// orgTypeError reads err as a value of the wrong type at a line of text; the column is
// where the value starts on that line (after "key = ").
func orgTypeError(text string, err error) (typeError, bool) {
	m := typeErrRe.FindStringSubmatch(err.Error())
	if mm := mismatchErrRe.FindStringSubmatch(err.Error()); m == nil && mm != nil {
		m = []string{mm[0], mm[1], mm[2], mm[4], mm[3]} // found, expected
	}
	if m == nil {
		return typeError{}, false
	}
	line, _ := strconv.Atoi(m[1])
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return typeError{}, false
	}
	te := typeError{line: line, col: 1, key: m[2], last: m[2][strings.LastIndex(m[2], ".")+1:], want: m[4]}
	switch {
	case m[3] == "string":
		te.got = message.New("chữ")
	case strings.HasPrefix(m[3], "int"), strings.HasPrefix(m[3], "float"):
		te.got = message.New("một số")
	case m[3] == "bool":
		te.got = message.New("true/false")
	case strings.HasPrefix(m[3], "[]"):
		te.got = message.New("một danh sách [ ]")
	case strings.HasPrefix(m[3], "map"):
		te.got = message.New("một khối")
	default:
		te.got = m[3]
	}
	l := lines[line-1]
	if i := strings.Index(l, "="); i >= 0 {
		rest := l[i+1:]
		te.col = len([]rune(l[:i+1+len(rest)-len(strings.TrimLeft(rest, " \t"))])) + 1
	}
	return te, true
}
