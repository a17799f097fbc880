package build

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

const testOrg = `name = "Sở Thử Nghiệm"
nameEN = "Test Department"
address = "Số 1 đường Thử"
addressEN = "1 Test Street"
phone = "0203 3822 123"
email = "lienhe@thu.gov.vn"

[[leader]]
name = "Nguyễn Văn A"
title = "Giám đốc"
titleEN = "Director"
phone = "0203 3822 124"
email = "giamdoc@thu.gov.vn"

[spokesperson]
name = "Trần Thị B"
title = "Phó Giám đốc"
phone = "0912 345 678"

[[unit]]
name = "Văn phòng"
nameEN = "Office"
phone = "0203 3822 125"
`

var ldRe = regexp.MustCompile(`(?s)<script type="?application/ld\+json"?>(.*?)</script>`)

// TestOrganizationFileFeedsContactPagesFooterAndJSONLD builds a site with
// data/to-chuc.toml: the contact page lists the leaders, spokesperson and units with
// tel: and mailto: links and describes them as a GovernmentOrganization; the English
// page uses the English names; every page's footer has the phone; an edited phone
// reaches every page through the disk cache.
func TestOrganizationFileFeedsContactPagesFooterAndJSONLD(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	useDefaultTheme(t, dir)
	sitetest.WriteFiles(t, dir, map[string]string{
		"data/to-chuc.toml":  testOrg,
		"content/lien-he.md": "---\ntitle: \"Liên hệ\"\ndate: 2025-01-01\nlayout: contact\n---\n\n## Gửi góp ý\n\nXin ghi rõ họ tên.\n",
		"content/about.md":   "---\ntitle: \"About us\"\ndate: 2025-01-01\nlang: en\nlayout: contact-en\n---\n\nThe test portal.\n",
	})
	os.RemoveAll(filepath.Join(dir, "layouts")) // the default theme's layouts, footer included
	dest := filepath.Join(t.TempDir(), "public")
	cache := DiskCache(t.TempDir(), os.Args[0])
	run := func() Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: cache, NoSearch: true, Minify: true})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return rep
	}
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	run()
	contact := read("lien-he/index.html")
	for _, want := range []string{`<a href="tel:+842033822124">0203 3822 124</a>`, `<a href="mailto:giamdoc@thu.gov.vn">`, "Nguyễn Văn A, Giám đốc",
		"Người phát ngôn", "Trần Thị B, Phó Giám đốc", `<a href="tel:+84912345678">0912 345 678</a>`, "Văn phòng", "Xin ghi rõ họ tên."} {
		if !strings.Contains(contact, want) {
			t.Errorf("the contact page lacks %q", want)
		}
	}
	m := ldRe.FindStringSubmatch(contact)
	if m == nil {
		t.Fatal("the contact page has no JSON-LD")
	}
	var ld struct {
		Type       string `json:"@type"`
		MainEntity struct {
			Type      string `json:"@type"`
			Name      string `json:"name"`
			Telephone string `json:"telephone"`
			Address   struct {
				Street string `json:"streetAddress"`
			} `json:"address"`
			Employee []struct {
				Name, JobTitle string
			} `json:"employee"`
			ContactPoint []struct {
				ContactType string `json:"contactType"`
				Name        string `json:"name"`
				Telephone   string `json:"telephone"`
			} `json:"contactPoint"`
			SubOrganization []struct {
				Name string `json:"name"`
			} `json:"subOrganization"`
		} `json:"mainEntity"`
	}
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD %s: %v", m[1], err)
	}
	o := ld.MainEntity
	if ld.Type != "ContactPage" || o.Type != "GovernmentOrganization" || o.Name != "Sở Thử Nghiệm" || o.Telephone != "+842033822123" ||
		o.Address.Street != "Số 1 đường Thử" || len(o.Employee) != 1 || o.Employee[0].JobTitle != "Giám đốc" ||
		len(o.ContactPoint) != 1 || o.ContactPoint[0].ContactType != "press" || o.ContactPoint[0].Telephone != "+84912345678" ||
		len(o.SubOrganization) != 1 {
		t.Errorf("JSON-LD %s", m[1])
	}
	about := read("about/index.html")
	for _, want := range []string{"Test Department", "1 Test Street", "Director", `<a href="tel:+842033822123">+84 203 3822 123</a>`, "Office", `"inLanguage":"en"`} {
		if !strings.Contains(about, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
	home := read("index.html")
	if !strings.Contains(home, `<a href="tel:+842033822123">0203 3822 123</a>`) || !strings.Contains(home, "Trần Thị B") {
		t.Errorf("the home page's footer lacks the phone or the spokesperson")
	}
	if !strings.Contains(home, `"telephone":"+842033822123"`) {
		t.Errorf("the home page's publisher has no telephone")
	}

	// The organisation file changes every page's footer: nothing is reused.
	os.WriteFile(filepath.Join(dir, "data", "to-chuc.toml"), []byte(strings.Replace(testOrg, `phone = "0203 3822 123"`, `phone = "0203 3822 999"`, 1)), 0o644)
	rep := run()
	if rep.Reused != 0 {
		t.Errorf("an edited organisation file reused %d pages", rep.Reused)
	}
	if !strings.Contains(read("tin-tuc/index.html"), "0203 3822 999") {
		t.Errorf("a list page's footer is stale")
	}
}

// TestContactPageWithoutAMarkdownFile: the organisation file alone makes /lien-he/;
// a standalone page at /lien-he/ takes its place.
func TestContactPageWithoutAMarkdownFile(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	useDefaultTheme(t, dir)
	os.RemoveAll(filepath.Join(dir, "layouts"))
	sitetest.WriteFiles(t, dir, map[string]string{"data/to-chuc.toml": testOrg})
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true, Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "lien-he", "index.html"))
	if err != nil || rep.Pages["contact"] != 1 {
		t.Fatalf("no generated contact page (%v, pages %v)", err, rep.Pages)
	}
	if page := string(b); !strings.Contains(page, "Nguyễn Văn A, Giám đốc") || !strings.Contains(page, `"@type":"ContactPage"`) || !strings.Contains(page, "<h1>Liên hệ</h1>") {
		t.Errorf("the generated contact page:\n%s", page)
	}
	sitetest.WriteFiles(t, dir, map[string]string{"content/lien-he.md": "---\ntitle: \"Liên hệ với chúng tôi\"\ndate: 2025-01-01\n---\nViết thư.\n"})
	rep, err = Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true, Minify: true})
	if err != nil || rep.Pages["contact"] != 0 {
		t.Fatalf("a page at /lien-he/ and the generated one: %v %v", err, rep.Pages)
	}
}
