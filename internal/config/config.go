// Package config reads a site's config.toml into an immutable Config value.
package config

import (
	"errors"
	"io/fs"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// FileName is the name of the configuration file at the root of a site.
const FileName = "config.toml"

// Config is a site's configuration. It is a plain value: load it once, pass it down.
type Config struct {
	BaseURL      string `toml:"baseURL"`
	Title        string `toml:"title"`
	Description  string `toml:"description"`
	LanguageCode string `toml:"languageCode"`
	Theme        string `toml:"theme"`
	// Paginate is the number of articles per list page.
	Paginate int `toml:"paginate"`
	// FeedLimit is the number of items in each RSS feed.
	FeedLimit int `toml:"feedLimit"`
	// Permalinks maps a section ("tin-tuc") to a pattern such as "/:section/:year/:slug/".
	// Tokens: :section :slug :title :filename :year :month :day. The key "*" applies to all sections.
	Permalinks   map[string]string `toml:"permalinks"`
	Taxonomies   []Taxonomy        `toml:"taxonomies"`
	Markup       Markup            `toml:"markup"`
	Search       Search            `toml:"search"`
	Build        Build             `toml:"build"`
	Limits       Limits            `toml:"limits"`
	Images       Images            `toml:"images"`
	Organization Organization      `toml:"organization"`
	// Documents configures the legal-document library (content/van-ban/).
	Documents Documents  `toml:"documents"`
	Menu      []MenuItem `toml:"menu"`
	// Provinces adds to or overrides the built-in province registry.
	Provinces []ProvinceEntry `toml:"provinces"`
	// Params holds free-form values for templates.
	Params map[string]any `toml:"params"`
}

// Documents configures the legal-document library.
type Documents struct {
	// Types are document types (loại) beside the built-in ones ("Nghị định", "Quyết định" …).
	Types []string `toml:"types"`
}

// Taxonomy defines a way of grouping articles by a front matter field.
type Taxonomy struct {
	// Key is the front matter field ("provinces", "tags", "categories").
	Key string `toml:"key"`
	// Path is the URL segment ("tinh" gives /tinh/<slug>/).
	Path string `toml:"path"`
	// Singular and Plural are the Vietnamese names shown to readers.
	Singular string `toml:"singular"`
	Plural   string `toml:"plural"`
}

// Markup controls Markdown rendering.
type Markup struct {
	// Unsafe allows raw HTML in Markdown; it is sanitized even then.
	Unsafe bool `toml:"unsafe"`
}

// Search controls the search index written by the build.
type Search struct {
	Disabled bool `toml:"disabled"`
	// Index is the index folder, relative to the destination unless absolute.
	// Its name must start with a dot so that the file server never serves it.
	Index string `toml:"index"`
	// Synonyms are the site's own equivalent spellings, added to the
	// built-in abbreviations of public administration: an abbreviation
	// and its other spellings, "UBND" = ["Ủy ban nhân dân"]. "…" in a
	// spelling stands for any words in between.
	Synonyms map[string][]string `toml:"synonyms"`
}

// Build holds the safety settings of portal build.
type Build struct {
	// MaxShrink is the largest share (0 to 1) of the published articles that one build
	// may remove: a build that would remove more, or every article, stops with an error
	// and leaves the published site as it is, unless it is confirmed (--allow-shrink). An
	// empty or missing content folder (a network share not mounted, a wrong --source)
	// must never unpublish a portal.
	MaxShrink float64 `toml:"maxShrink"`
	// Strict makes any error fail the whole build (as --strict does): by default an
	// article with errors is held back (it keeps its last published version) and the
	// rest of the site is published.
	Strict bool `toml:"strict"`
}

// Limits bound what one input may cost a build, so that one file (a mistake, or an attack
// through the site's repository) cannot crash, stall or flood it. All of them are in
// config.toml's [limits]; a value of 0 means the default.
type Limits struct {
	// MaxNesting is how deep front matter values ([ and {) and Markdown blocks (quotes,
	// nested lists) may nest.
	MaxNesting int `toml:"maxNesting"`
	// ArticleWarnKB: an article's file larger than this is a warning (its page is heavy on
	// a phone); ArticleMaxKB: a larger file is refused.
	ArticleWarnKB int `toml:"articleWarnKB"`
	ArticleMaxKB  int `toml:"articleMaxKB"`
	// MaxTerms is how many provinces, categories and tags one article may have together.
	MaxTerms int `toml:"maxTerms"`
	// FileSeconds is how long rendering one file's Markdown may take.
	FileSeconds int `toml:"fileSeconds"`
	// MaxImageMegapixels bounds the pixels of an image the build decodes.
	MaxImageMegapixels int `toml:"maxImageMegapixels"`
	// MaxImageMB bounds the size of an image file the build reads.
	MaxImageMB int `toml:"maxImageMB"`
}

// DefaultLimits are the limits config.toml does not set.
func DefaultLimits() Limits {
	return Limits{MaxNesting: 100, ArticleWarnKB: 1024, ArticleMaxKB: 10240, MaxTerms: 100, FileSeconds: 10, MaxImageMegapixels: 50, MaxImageMB: 25}
}

// WithDefaults returns l with its unset (zero or negative) limits at their defaults.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, def *int }{
		{&l.MaxNesting, &d.MaxNesting}, {&l.ArticleWarnKB, &d.ArticleWarnKB}, {&l.ArticleMaxKB, &d.ArticleMaxKB},
		{&l.MaxTerms, &d.MaxTerms}, {&l.FileSeconds, &d.FileSeconds}, {&l.MaxImageMegapixels, &d.MaxImageMegapixels}, {&l.MaxImageMB, &d.MaxImageMB},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	return l
}

// DefaultMaxShrink is Build.MaxShrink when config.toml does not set it.
const DefaultMaxShrink = 0.5

// Organization holds what Decree 42/2022/NĐ-CP asks a portal to show.
type Organization struct {
	Name        string `toml:"name"`        // the portal's owner ("Sở Thông tin và Truyền thông tỉnh …")
	Agency      string `toml:"agency"`      // cơ quan chủ quản
	Responsible string `toml:"responsible"` // người chịu trách nhiệm nội dung
	License     string `toml:"license"`     // giấy phép
	Address     string `toml:"address"`
	Phone       string `toml:"phone"`
	Email       string `toml:"email"`
	NameEN      string `toml:"nameEN"`
	AgencyEN    string `toml:"agencyEN"`
	AddressEN   string `toml:"addressEN"`
	Website     string `toml:"website"`
	// Leaders, the press spokesperson (Decree 09/2017/NĐ-CP) and the units: usually in
	// OrganizationFile (organization.go).
	Leaders      []Person `toml:"leader"`
	Spokesperson Person   `toml:"spokesperson"`
	Units        []Unit   `toml:"unit"`
}

// MenuItem is one entry of the main navigation.
type MenuItem struct {
	Name string `toml:"name"`
	URL  string `toml:"url"`
}

// ProvinceEntry adds or overrides a province of the built-in registry.
type ProvinceEntry struct {
	Name       string   `toml:"name"`
	Kind       string   `toml:"kind"`
	Region     string   `toml:"region"`
	Aliases    []string `toml:"aliases"`
	MergedInto string   `toml:"mergedInto"`
	MergedOn   string   `toml:"mergedOn"` // YYYY-MM-DD
}

// Default returns the configuration used when config.toml leaves a value unset.
func Default() Config {
	return Config{
		BaseURL:      "http://localhost:1313/",
		Title:        "Cổng thông tin điện tử",
		LanguageCode: "vi",
		Theme:        "default",
		Paginate:     10,
		FeedLimit:    20,
		Permalinks:   map[string]string{"*": "/:section/:slug/"},
		Taxonomies:   DefaultTaxonomies(),
		Search:       Search{Index: ".search"},
		Build:        Build{MaxShrink: DefaultMaxShrink},
		Limits:       DefaultLimits(),
		Images:       DefaultImages(),
	}
}

// DefaultTaxonomies are provinces, categories and tags, in that order.
func DefaultTaxonomies() []Taxonomy {
	return []Taxonomy{
		{Key: "provinces", Path: "tinh", Singular: "Tỉnh, thành phố", Plural: "Tỉnh, thành phố"},
		{Key: "categories", Path: "chuyen-muc", Singular: "Chuyên mục", Plural: "Chuyên mục"},
		{Key: "tags", Path: "the", Singular: "Thẻ", Plural: "Thẻ"},
	}
}

// ProvinceTaxonomy is the key of the province taxonomy, which the registry checks.
const ProvinceTaxonomy = "provinces"

// Load reads config.toml from fsys, the site folder; dir is that folder's name on the
// command line, for diagnostics (dir/config.toml). A missing file gives the defaults.
// Problems are returned as diagnostics with the file's line and column; unknown keys are
// warnings.
func Load(fsys fs.FS, dir string) (Config, *diag.List) {
	ds := &diag.List{}
	cfg := Default()
	path := filepath.Join(dir, FileName)
	src, err := fs.ReadFile(fsys, FileName)
	if errors.Is(err, fs.ErrNotExist) {
		loadOrganization(fsys, dir, "", &cfg, ds)
		return cfg, ds
	}
	if err != nil {
		ds.Errorf(path, 0, 0, "config", "không đọc được tệp cấu hình: %v", err)
		return cfg, ds
	}
	cfg, ds = Parse(path, src)
	if !ds.HasErrors() {
		loadOrganization(fsys, dir, vietnamese.NFC(string(src)), &cfg, ds)
	}
	return cfg, ds
}

// NestingAt returns the line and column (1-based) where text first opens a [ or { deeper
// than max, outside quoted strings, or 0, 0. Front matter parsers recurse on nesting (the
// TOML one without bound: 2,000,000 brackets overflow the stack and kill the process),
// so it is checked before they see the text.
func NestingAt(text []byte, max int) (line, col int) {
	depth, line, col := 0, 1, 0
	var quote byte
	for i := 0; i < len(text); i++ {
		c := text[i]
		col++
		switch {
		case c == '\n':
			line, col = line+1, 0
			if quote != '`' { // a quoted string ends with its line (TOML, YAML flow, JSON)
				quote = 0
			}
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
				col++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#':
			for i+1 < len(text) && text[i+1] != '\n' {
				i++
			}
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return line, col
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0, 0
}

// Parse decodes config.toml source. path is used in diagnostics only.
func Parse(path string, src []byte) (Config, *diag.List) {
	ds := &diag.List{}
	cfg := Default()
	cfg.Taxonomies = nil
	text := vietnamese.NFC(string(src))
	if line, col := NestingAt([]byte(text), DefaultLimits().MaxNesting); line > 0 {
		ds.Errorf(path, line, col, "nesting", "giá trị lồng nhau quá %d tầng ([ hoặc {): kiểm tra dấu ngoặc ở đây", DefaultLimits().MaxNesting)
		return Default(), ds
	}
	md, err := toml.Decode(text, &cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			ds.Errorf(path, pe.Position.Line, pe.Position.Col, "config", "config.toml viết sai ở đây (chi tiết kỹ thuật: %s): sửa theo cách viết TOML, giá trị chữ đặt trong ngoặc kép (xem https://toml.io)", pe.Message)
		} else {
			ds.Errorf(path, 1, 1, "config", "%v", err)
		}
		return Default(), ds
	}
	for _, key := range md.Undecoded() {
		k := key.String()
		if strings.HasPrefix(k, "params.") {
			continue
		}
		line := keyLine(text, key[len(key)-1])
		ds.Warnf(path, line, 0, "config-unknown-key", "portal không biết thiết lập %q nên bỏ qua nó: kiểm tra chính tả", k)
	}
	if len(cfg.Taxonomies) == 0 {
		cfg.Taxonomies = DefaultTaxonomies()
	}
	validate(path, text, &cfg, ds)
	return cfg, ds
}

func validate(path, text string, cfg *Config, ds *diag.List) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ds.Errorf(path, 0, 0, "config", "baseURL %q phải là địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://, ví dụ \"https://sotttt.example.gov.vn/\"", cfg.BaseURL)
	} else if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if cfg.Paginate <= 0 {
		ds.Errorf(path, 0, 0, "config", "paginate là số bài trên một trang, phải lớn hơn 0, nhưng đang là %d", cfg.Paginate)
		cfg.Paginate = 10
	}
	if cfg.FeedLimit <= 0 {
		cfg.FeedLimit = 20
	}
	if cfg.Theme == "" || strings.ContainsAny(cfg.Theme, `/\`) || cfg.Theme == ".." || cfg.Theme == "." {
		ds.Errorf(path, 0, 0, "config", "theme %q phải là tên một thư mục trong themes/", cfg.Theme)
		cfg.Theme = "default"
	}
	seen := map[string]bool{}
	for i, t := range cfg.Taxonomies {
		if t.Key == "" || t.Path == "" {
			ds.Errorf(path, 0, 0, "config", "phân loại (taxonomy) thứ %d cần cả key (tên trường trong phần đầu bài) và path (đoạn đường dẫn)", i+1)
			continue
		}
		if vietnamese.Slug(t.Path) != t.Path {
			ds.Errorf(path, 0, 0, "config", "path %q của phân loại phải viết không dấu, nối bằng gạch ngang, ví dụ %q", t.Path, vietnamese.Slug(t.Path))
		}
		if seen[t.Key] || seen["path:"+t.Path] {
			ds.Errorf(path, 0, 0, "config", "phân loại %q hoặc path %q của nó được khai báo hai lần", t.Key, t.Path)
		}
		seen[t.Key], seen["path:"+t.Path] = true, true
		if t.Plural == "" {
			cfg.Taxonomies[i].Plural = t.Key
		}
		if t.Singular == "" {
			cfg.Taxonomies[i].Singular = cfg.Taxonomies[i].Plural
		}
	}
	if cfg.Search.Index == "" {
		cfg.Search.Index = ".search"
	}
	if !filepath.IsAbs(cfg.Search.Index) && !strings.HasPrefix(filepath.Base(cfg.Search.Index), ".") {
		ds.Errorf(path, 0, 0, "config", "search.index %q phải bắt đầu bằng dấu chấm (ví dụ \".search\") để máy chủ web không bao giờ gửi nó ra ngoài", cfg.Search.Index)
		cfg.Search.Index = ".search"
	}
	validateSynonyms(path, text, cfg, ds)
	cfg.Limits = cfg.Limits.WithDefaults()
	cfg.Images = cfg.Images.withDefaults(path, text, ds)
	if cfg.Build.MaxShrink < 0 || cfg.Build.MaxShrink > 1 {
		ds.Errorf(path, keyLine(text, "maxShrink"), 0, "config", "build.maxShrink = %v phải là một tỉ lệ từ 0 đến 1 (0.5: một lần dựng được gỡ tối đa một nửa số bài đang xuất bản)", cfg.Build.MaxShrink)
		cfg.Build.MaxShrink = DefaultMaxShrink
	}
	for sec, pat := range cfg.Permalinks {
		if !strings.HasPrefix(pat, "/") || strings.Contains(pat, "..") || strings.Contains(pat, `\`) {
			ds.Errorf(path, 0, 0, "config", "mẫu đường dẫn %q của %q phải bắt đầu bằng / và nằm trong trang", pat, sec)
		}
	}
	if cfg.Permalinks == nil {
		cfg.Permalinks = map[string]string{}
	}
	if _, ok := cfg.Permalinks["*"]; !ok {
		cfg.Permalinks["*"] = "/:section/:slug/"
	}
	if len(cfg.Menu) == 0 {
		cfg.Menu = []MenuItem{
			{Name: "Trang chủ", URL: "/"},
			{Name: "Tin tức", URL: "/tin-tuc/"},
			{Name: "Tỉnh, thành phố", URL: "/tinh/"},
			{Name: "Chuyên mục", URL: "/chuyen-muc/"},
			{Name: "Lưu trữ", URL: "/luu-tru/"},
			{Name: "Tìm kiếm", URL: "/tim-kiem/"},
		}
	}
}

// keyLine returns the first line of src that assigns name (a TOML key), or 0.
func keyLine(src, name string) int {
	for i, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, name); ok {
			if r := strings.TrimSpace(rest); strings.HasPrefix(r, "=") {
				return i + 1
			}
		}
	}
	return 0
}

// Taxonomy returns the taxonomy with the given front matter key.
func (c Config) Taxonomy(key string) (Taxonomy, bool) {
	i := slices.IndexFunc(c.Taxonomies, func(t Taxonomy) bool { return t.Key == key })
	if i < 0 {
		return Taxonomy{}, false
	}
	return c.Taxonomies[i], true
}

// TaxonomyKeys returns the taxonomies' front matter keys in configured order.
func (c Config) TaxonomyKeys() []string {
	keys := make([]string, len(c.Taxonomies))
	for i, t := range c.Taxonomies {
		keys[i] = t.Key
	}
	return keys
}

// TaxonomyPaths maps each taxonomy's front matter key to its URL segment
// ("provinces" → "tinh").
func (c Config) TaxonomyPaths() map[string]string {
	m := make(map[string]string, len(c.Taxonomies))
	for _, t := range c.Taxonomies {
		m[t.Key] = t.Path
	}
	return m
}

// Permalink returns the pattern for a section.
func (c Config) Permalink(section string) string {
	if p, ok := c.Permalinks[section]; ok {
		return p
	}
	return c.Permalinks["*"]
}

// WithBaseURL returns a copy with another base URL (the --base-url flag).
func (c Config) WithBaseURL(base string) (Config, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, message.Errorf("--base-url %q phải là địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://", base)
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	c.BaseURL = base
	return c, nil
}
