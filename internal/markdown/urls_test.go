package markdown

import "testing"

func TestSafeURL(t *testing.T) {
	tests := []struct {
		url  string
		safe bool
	}{
		{"https://tinh.gov.vn/tin-tuc", true},
		{"HTTP://TINH.GOV.VN", true},
		{"mailto:lienhe@tinh.gov.vn", true},
		{"tel:+842393855555", true},
		{"/gioi-thieu/", true},
		{"tin-tuc/bai-1.html", true},
		{"../anh/a.jpg", true},
		{"?trang=2", true},
		{"#muc-1", true},
		{"//cdn.tinh.gov.vn/a.png", true},
		{"/tra-cuu?q=a:b", true},
		{"", true},
		{"javascript:alert(1)", false},
		{"JaVaScRiPt:alert(1)", false},
		{"  javascript:alert(1)", false},
		{"\x01\x02javascript:alert(1)", false},
		{"java\tscript:alert(1)", false},
		{"java\nscript:alert(1)", false},
		{"&#106;avascript:alert(1)", false},
		{"&#x6A;avascript:alert(1)", false},
		{"&#0000106;avascript:alert(1)", false},
		{"javascript&colon;alert(1)", false},
		{"vbscript:msgbox(1)", false},
		{"data:text/html;base64,PHNjcmlwdD4=", false},
		{"data:image/png;base64,iVBORw0KGgo=", false},
		{"file:///etc/passwd", false},
		{"ftp://files.example.vn", false},
		{"\u200bjavascript:alert(1)", false},
		{"ｊavascript:alert(1)", false},
		{":alert(1)", false},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.url); got != tt.safe {
			t.Errorf("SafeURL(%q) = %v, want %v", tt.url, got, tt.safe)
		}
	}
}
