package config

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

func lines(ds *diag.List) string {
	var b strings.Builder
	for _, d := range ds.Items() {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

const orgFile = `name = "Sở Mẫu"
address = "Số 1 đường Mẫu"
phone = "0203 3822 123"
email = "lienhe@example.gov.vn"

[[leader]]
name = "Nguyễn Văn A"
title = "Giám đốc"
phone = "0203 3822 124"

[[leader]]
name = "Trần Thị B"
title = "Phó Giám đốc"
phone = "12345"
phon = "0912 345 678"

[spokesperson]
name = "Trần Thị B"
email = "phatngon@example"

[[unit]]
name = "Văn phòng"
phone = "0203 3822 125 (máy lẻ 12)"
`

func TestOrganizationFileFeedsTheConfig(t *testing.T) {
	cfg, ds := Load(fstest.MapFS{"config.toml": {Data: []byte("title = \"Cổng\"\n")}, OrganizationFile: {Data: []byte(orgFile)}}, "site")
	o := cfg.Organization
	if o.Name != "Sở Mẫu" || len(o.Leaders) != 2 || o.Leaders[0].Title != "Giám đốc" || o.Spokesperson.Name != "Trần Thị B" || len(o.Units) != 1 || !o.HasContacts() {
		t.Fatalf("organization %+v", o)
	}
	got := lines(ds)
	for _, want := range []string{
		`data/to-chuc.toml:14:9: cảnh báo: số điện thoại "12345" không giống số ở Việt Nam`,
		`data/to-chuc.toml:15:8: cảnh báo: portal không biết khóa "leader.phon" nên bỏ qua nó: có phải là "phone"?`,
		`data/to-chuc.toml:19:9: cảnh báo: địa chỉ thư điện tử "phatngon@example" không đúng dạng`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Count(got, "\n") != 3 {
		t.Errorf("want three warnings:\n%s", got)
	}
}

// TestOrganizationInConfigMovesWithAClearMessage: config.toml's [organization] keeps
// working; beside data/to-chuc.toml each of its keys says what to do.
func TestOrganizationInConfigMovesWithAClearMessage(t *testing.T) {
	cfgText := `title = "Cổng"
[organization]
name = "Sở Mẫu"
license = "Giấy phép số 1"
phone = "0203 3822 999"
`
	// Alone, [organization] is the organisation, without a word.
	cfg, ds := Load(fstest.MapFS{"config.toml": {Data: []byte(cfgText)}}, "site")
	if cfg.Organization.License != "Giấy phép số 1" || len(ds.Items()) != 0 {
		t.Fatalf("%+v %s", cfg.Organization, lines(ds))
	}
	cfg, ds = Load(fstest.MapFS{"config.toml": {Data: []byte(cfgText)}, OrganizationFile: {Data: []byte(orgFile)}}, "site")
	got := lines(ds)
	for _, want := range []string{
		`site/config.toml:3:8: cảnh báo: organization.name đã có trong data/to-chuc.toml với cùng giá trị: xoá dòng này khỏi config.toml`,
		`site/config.toml:4:11: cảnh báo: thông tin cơ quan nay ở data/to-chuc.toml: chuyển organization.license sang tệp đó (license = …) rồi xoá dòng này khỏi config.toml`,
		`site/config.toml:5:9: lỗi: organization.phone trong config.toml ("0203 3822 999") khác với phone trong data/to-chuc.toml:3 ("0203 3822 123"): thông tin cơ quan nay ở data/to-chuc.toml; giữ giá trị đúng ở đó và xoá dòng này khỏi config.toml`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if cfg.Organization.License != "Giấy phép số 1" || cfg.Organization.Phone != "0203 3822 123" {
		t.Errorf("merged %+v", cfg.Organization)
	}
	for _, d := range ds.Items() {
		if d.Code == "organization" {
			if en := d.In(message.En); !strings.Contains(en, `organization.phone in config.toml ("0203 3822 999") differs from phone in data/to-chuc.toml:3`) {
				t.Errorf("English: %s", en)
			}
		}
	}
}

func TestPhoneNumbers(t *testing.T) {
	for in, tel := range map[string]string{
		"0203 3822 123": "+842033822123", "0912.345.678": "+84912345678", "+84 912 345 678": "+84912345678",
		"(0203) 3822-123": "+842033822123", "1900 1234": "19001234", "113": "113", "0203 3822 123 (máy lẻ 105)": "+842033822123",
		"0084 24 3822 1234": "+842438221234",
	} {
		if !PhoneOK(in) || TelURI(in) != tel {
			t.Errorf("%q: ok %v tel %q, want %q", in, PhoneOK(in), TelURI(in), tel)
		}
	}
	for _, in := range []string{"12345", "0203", "liên hệ", "0203 3822 123 hoặc 0912", "+1 202 555 0100", ""} {
		if PhoneOK(in) {
			t.Errorf("%q passed", in)
		}
	}
	if got := PhoneIntl("0203 3822 123"); got != "+84 203 3822 123" {
		t.Errorf("intl %q", got)
	}
	for in, ok := range map[string]bool{"a@b.gov.vn": true, "a@b": false, "A <a@b.vn>": false, "a b@c.vn": false} {
		if EmailOK(in) != ok {
			t.Errorf("email %q: %v", in, !ok)
		}
	}
}
