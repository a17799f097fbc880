package content

import (
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

func TestLegalDocument(t *testing.T) {
	src := "---\nnumber: \"64/2007/NĐ-CP\"\ntype: \"Nghị định\"\ntitle: \"Về ứng dụng CNTT\"\nissuer: \"Chính phủ\"\nissued: 2007-04-10\neffective: 2007-05-25\nfields: [\"CNTT\"]\nreplaces: [\"1/2000/NĐ-CP\"]\nfiles: [\"nd.pdf\"]\n---\nTóm tắt.\n"
	d, ds := Parse("content/van-ban/64-2007-nd-cp/index.md", []byte(src), Schema{})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if d.Kind != LegalDocument || d.Legal == nil || d.Legal.Key != "64-2007-nd-cp" || d.Legal.Type != "Nghị định" ||
		!d.Date.Equal(d.Legal.Issued) || d.Legal.Files[0] != "nd.pdf" || d.Legal.Replaces[0] != "1/2000/NĐ-CP" {
		t.Errorf("document: %+v %+v", d, d.Legal)
	}
	if _, ds := Parse("content/van-ban/_index.md", []byte("---\ntitle: Văn bản\n---\n"), Schema{}); len(ds) != 0 {
		t.Errorf("the library's _index.md: %v", ds)
	}
}

func TestLegalDocumentMistakes(t *testing.T) {
	for _, c := range []struct {
		name, src string
		schema    Schema
		want, en  string
	}{
		{"no number", "---\ntitle: \"X\"\ntype: \"Nghị định\"\nissued: 2020-01-01\n---\n", Schema{},
			"content/van-ban/x.md:1:1: lỗi: văn bản chưa có số ký hiệu", "the document has no number"},
		{"no issue date", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\n---\n", Schema{},
			"content/van-ban/x.md:1:1: lỗi: văn bản chưa có ngày ban hành", "the document has no issue date"},
		{"type mistyped", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyet dinh\"\nissued: 2020-01-01\n---\n", Schema{},
			`content/van-ban/x.md:4:7: lỗi: loại văn bản "Quyet dinh" không có trong danh sách: có phải định viết "Quyết định"?`, `did you mean "Quyết định"?`},
		{"type unknown", "---\ntitle: \"X\"\nnumber: \"1/TB-UBND\"\ntype: \"Tin nhắn\"\nissued: 2020-01-01\n---\n", Schema{},
			`content/van-ban/x.md:4:7: lỗi: loại văn bản "Tin nhắn" không có trong danh sách (các loại: Hiến pháp, Bộ luật`, "add it to [documents] types in config.toml"},
		{"dates in the wrong order", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\neffective: 2020-04-01\n---\n", Schema{},
			"content/van-ban/x.md:6:12: lỗi: ngày hiệu lực (effective) 01/04/2020 trước ngày ban hành (issued) 01/05/2020", "the effective date 01/04/2020 is before the issue date 01/05/2020"},
		{"expires before effective", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nexpires: 2020-05-01\n---\n", Schema{},
			"content/van-ban/x.md:6:10: lỗi: ngày hết hiệu lực (expires) 01/05/2020 không sau ngày có hiệu lực 01/05/2020", "is not after the date"},
		{"status mistyped", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nstatus: \"het hieu luc\"\n---\n", Schema{},
			`content/van-ban/x.md:6:9: lỗi: tình trạng "het hieu luc" không dùng được: có phải định viết "hết hiệu lực"?`, "did you mean"},
		{"attachment type", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nfiles: [\"virus.exe\"]\n---\n", Schema{},
			`content/van-ban/x.md:6:9: lỗi: tệp đính kèm "virus.exe" có loại không được phép: chỉ đính kèm .pdf, .doc`, "is of a type that is not allowed"},
		{"attachment outside a bundle", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nfiles: [\"a.pdf\"]\n---\n", Schema{},
			`content/van-ban/x.md:6:9: lỗi: văn bản có tệp đính kèm phải là một thư mục: chuyển content/van-ban/x.md thành content/van-ban/x/index.md`, "must be a folder"},
		{"attachment in a block list", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nfiles:\n  - a.pdf\n  -   \"virus.exe\"\n---\n", Schema{},
			`content/van-ban/x.md:8:7: lỗi: tệp đính kèm "virus.exe" có loại không được phép`, "is of a type that is not allowed"},
		{"second attachment of a flow list", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nfiles: [a.pdf,  'virus.exe']\n---\n", Schema{},
			`content/van-ban/x.md:6:17: lỗi: tệp đính kèm "virus.exe" có loại không được phép`, "is of a type that is not allowed"},
		{"TOML front matter", "+++\ntitle = \"X\"\nnumber = \"1/QĐ-UBND\"\ntype =   \"Quyet dinh\"\nissued = 2020-05-01\n+++\n", Schema{},
			`content/van-ban/x.md:4:10: lỗi: loại văn bản "Quyet dinh"`, "did you mean"},
		{"Vietnamese before the value", "---\ntitle: \"X\"\nnumber: \"1/QĐ-UBND\"\ntype: \"Quyết định\"\nissued: 2020-05-01\nfiles: [\"Quyết định.pdf\", \"tờ trình.exe\"]\n---\n", Schema{},
			`content/van-ban/x.md:6:27: lỗi: tệp đính kèm "tờ trình.exe" có loại không được phép`, "is of a type that is not allowed"},
		{"a site's own type is known", "---\ntitle: \"X\"\nnumber: \"1/TTr-SKHCN\"\ntype: \"Tờ trình liên ngành\"\nissued: 2020-05-01\n---\n", Schema{DocumentTypes: []string{"Tờ trình liên ngành"}}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ds := Parse("content/van-ban/x.md", []byte(c.src), c.schema)
			if c.want == "" {
				if len(ds) != 0 {
					t.Errorf("diagnostics: %v", ds)
				}
				return
			}
			for _, d := range ds {
				if strings.HasPrefix(d.String(), c.want) {
					if en := d.In(message.En); !strings.Contains(en, c.en) {
						t.Errorf("English %q lacks %q", en, c.en)
					}
					return
				}
			}
			t.Errorf("no %q in %v", c.want, ds)
		})
	}
}
