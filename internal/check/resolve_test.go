package check

import "testing"

func TestResolve(t *testing.T) {
	tests := []struct {
		page, dest, want string
		skip             bool
	}{
		{"/tin-tuc/a/", "../b/", "/tin-tuc/b/", false},
		{"/tin-tuc/a/", "anh.jpg", "/tin-tuc/a/anh.jpg", false},
		{"/tin-tuc/a/", "/tin-t%E1%BB%A9c/", "/tin-tức/", false},
		{"/tin-tuc/a/", "/x/#muc", "/x/", false},
		{"/gioi-thieu.html", "lien-he/", "/lien-he/", false},
		{"/tin-tuc/a/", "../../../../etc/", "/etc/", false},
		{"/tin-tuc/a/", "https://example.vn/", "", true},
		{"/tin-tuc/a/", "//cdn.example.vn/x.js", "", true},
		{"/tin-tuc/a/", "mailto:a@b.vn", "", true},
		{"/tin-tuc/a/", "a@b.vn", "", true},
		{"/tin-tuc/a/", "#muc", "", true},
		{"/tin-tuc/a/", "?trang=2", "", true},
		{"/tin-tuc/a/", "", "", true},
	}
	for _, tc := range tests {
		got, skip := resolve(tc.page, tc.dest)
		if got != tc.want || skip != tc.skip {
			t.Errorf("resolve(%q, %q) = %q, %v; want %q, %v", tc.page, tc.dest, got, skip, tc.want, tc.skip)
		}
	}
}
