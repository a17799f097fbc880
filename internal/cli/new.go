package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/vietnamese"
)

// archetypeData is what an archetype template sees.
type archetypeData struct {
	Title     string   // the title as given, NFC
	Date      string   // now, RFC 3339 in Asia/Ho_Chi_Minh
	Provinces []string // canonical names from the registry
	Section   string   // "tin-tuc"
}

func runNew(_ context.Context, env Env, args []string) int {
	flags := newFlags(env, "new")
	source := flags.String("source", ".", "thư mục của trang (chứa config.toml, content/)")
	section := flags.String("section", "tin-tuc", "chuyên mục: thư mục dưới content/")
	var provinces multiFlag
	flags.Var(&provinces, "province", "tỉnh, thành phố mà bài nói đến (lặp lại cho nhiều tỉnh)")
	pos, code, stop := parseInterspersed(flags, args)
	if stop {
		return code
	}
	title := vietnamese.NFC(strings.Join(strings.Fields(strings.Join(pos, " ")), " "))
	if title == "" {
		env.println(env.Stderr, "portal new: cần tiêu đề bài viết, ví dụ: portal new \"Hội nghị tập huấn chuyển đổi số\"")
		return ExitUsage
	}
	if id, ok := strings.CutPrefix(title, weekPrefix); ok { // a week of the leaders' schedule
		return runNewWeek(env, *source, id, env.now())
	}
	if s := vietnamese.Slug(*section); s == "" || s != *section {
		env.printf(env.Stderr, "portal new: --section %q phải là tên thư mục viết thường không dấu, ví dụ %q\n", *section, cmpOr(s, "tin-tuc"))
		return ExitUsage
	}
	slug := vietnamese.Slug(title)
	if slug == "" {
		env.printf(env.Stderr, "portal new: tiêu đề %q không có chữ hay số để đặt tên tệp\n", title)
		return ExitUsage
	}
	if !needSite(env, "new", source, false) {
		return ExitUsage
	}
	cfg, reg, ok := siteRegistry(env, *source)
	if !ok {
		return ExitError
	}
	names, ok := canonicalProvinces(env, reg, provinces)
	if !ok {
		return ExitError
	}

	rel := filepath.Join("content", *section, slug+".md")
	target := filepath.Join(*source, rel)
	for _, existing := range []string{target, filepath.Join(*source, "content", *section, slug, "index.md")} {
		if _, err := os.Lstat(existing); err == nil {
			env.printf(env.Stderr, "portal new: đã có %s; không ghi đè. Sửa tệp đó, hoặc chọn tiêu đề khác\n", existing)
			return ExitError
		}
	}

	tmplName, tmplWhere, tmplText, err := findArchetype(*source, cfg.Theme, *section)
	if err != nil {
		env.printf(env.Stderr, "portal new: %v\n", err)
		return ExitError
	}
	data := archetypeData{
		Title:     title,
		Date:      time.Now().In(vietnamese.Location()).Truncate(time.Second).Format(time.RFC3339),
		Provinces: names,
		Section:   *section,
	}
	out, err := executeArchetype(tmplName, tmplText, data)
	if err != nil {
		env.printf(env.Stderr, "portal new: %v\n", err)
		return ExitError
	}
	if _, ds := content.Parse(filepath.ToSlash(rel), out, content.SchemaOf(cfg)); hasError(ds) {
		env.printf(env.Stderr, "portal new: %v tạo ra bài không hợp lệ: %s\nSửa mẫu đó (phần đầu giữa hai dòng ---).\n", tmplWhere, firstError(env, ds))
		return ExitError
	}
	if !writeNewFile(env, target, out) {
		return ExitError
	}
	env.printf(env.Stdout, "Đã tạo %s (theo %v)\n", target, tmplWhere)
	env.println(env.Stdout, "Bài đang là bản nháp (draft: true): xem trước bằng portal preview, đổi thành draft: false khi sẵn sàng đăng.")
	return ExitOK
}

// canonicalProvinces looks each --province up in the registry and returns the canonical
// names, each once. Unknown names are reported with the closest known one; merged-away
// provinces are accepted with a note about what they became.
func canonicalProvinces(env Env, reg *province.Registry, given []string) ([]string, bool) {
	names := []string{}
	ok := true
	for _, g := range given {
		p, found := reg.Lookup(g)
		if !found {
			ok = false
			if s, has := reg.Suggest(g); has {
				env.printf(env.Stderr, "portal new: không có tỉnh, thành phố %q; có phải %q?\n", g, s)
			} else {
				env.printf(env.Stderr, "portal new: không có tỉnh, thành phố %q; xem danh sách ở trang /tinh/ hoặc thêm vào [[provinces]] trong config.toml\n", g)
			}
			continue
		}
		if !p.Current {
			if succ, has := reg.Successor(p.Name); has && succ.Name != p.Name {
				if p.MergedOn.IsZero() {
					env.printf(env.Stderr, "lưu ý: %s đã hợp nhất vào %s; nếu bài nói về hiện nay, dùng --province %q\n", p.Name, succ.Name, succ.Name)
				} else {
					env.printf(env.Stderr, "lưu ý: %s đã hợp nhất vào %s từ %s; nếu bài nói về hiện nay, dùng --province %q\n", p.Name, succ.Name, vietnamese.ShortDate(p.MergedOn), succ.Name)
				}
			}
		}
		if !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names, ok
}

// findArchetype returns the first archetype for a section: in each layer (the site's
// archetypes/, then themes/<theme>/archetypes/, then the embedded default theme's), first
// <section>.md, then default.md. where says which it is for people: "mẫu
// archetypes/default.md", or for the copy inside the binary "mẫu bài mặc định
// (default.md) có sẵn trong portal".
func findArchetype(siteDir, theme, section string) (name string, where message.Text, text string, err error) {
	layers := render.Layers(siteDir, theme, "archetypes")
	for _, l := range layers {
		for _, file := range []string{section + ".md", "default.md"} {
			b, err := fs.ReadFile(l.FS, file)
			if err == nil {
				name := l.Name + "/" + file
				where := message.New("mẫu %s", name)
				if l.Dir == "" {
					where = message.New("mẫu bài %s có sẵn trong portal (giao diện mặc định)", file)
				}
				return name, where, string(b), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", message.Text{}, "", message.Errorf("không đọc được mẫu %s/%s: %v", l.Name, file, err)
			}
		}
	}
	var dirs []string
	for _, l := range layers {
		dirs = append(dirs, l.Name)
	}
	return "", message.Text{}, "", message.Errorf("không tìm thấy mẫu bài viết (%s.md hoặc default.md) trong %s", section, strings.Join(dirs, ", "))
}

// executeArchetype runs an archetype template. Besides .Title, .Date, .Provinces and
// .Section, it offers quote, which writes a YAML double-quoted string.
func executeArchetype(name, text string, data archetypeData) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{
		"quote": strconv.Quote,
	}).Parse(text)
	if err != nil {
		return nil, message.Errorf("mẫu %s có lỗi cú pháp: %v", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, message.Errorf("mẫu %s: %v (mẫu chỉ dùng được .Title, .Date, .Provinces, .Section và quote)", name, err)
	}
	return []byte(vietnamese.NFC(buf.String())), nil
}

func cmpOr(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

// writeNewFile writes the file `portal new` made at target, never over an existing file,
// and says why when it cannot.
func writeNewFile(env Env, target string, out []byte) bool {
	err := writeContent(target, out, false)
	switch {
	case err == nil:
		return true
	case errors.Is(err, fs.ErrExist):
		env.printf(env.Stderr, "portal new: đã có %s; không ghi đè\n", target)
	default:
		env.printf(env.Stderr, "portal new: không ghi được %s: %v\n", target, err)
	}
	return false
}
