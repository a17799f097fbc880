package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/server"
)

// FuzzSearchParams sends arbitrary query strings to /api/search and the search page
// through the public Handler: every answer is 200, 400 or 503 (never 500, never a
// panic); the API always answers valid JSON, with hits on 200 and an error message
// otherwise; the search page never contains a script element.
func FuzzSearchParams(f *testing.F) {
	for _, s := range []string{
		"q=h%E1%BB%99i+ngh%E1%BB%8B",
		"q=hoi+nghi&tinh=ha-tinh&nam=2024&sap-xep=moi-nhat&trang=1&size=5",
		"q=giao+duc&chuyen-muc=hoi-nghi&chuyen-muc=giao-duc&tinh=nghe-an",
		"q=&trang=0",
		"q=a&size=1000",
		"q=%ff%fe%00",
		"q=a&sap-xep=x",
		"q=*", "q=%22unterminated", "q=%2B-hoi", "q=title:x", "q=a~2", "q=/regex.*/",
		"trang=99999999999999999999", "nam=-1", "nam=2024&nam=abc", "tinh=HA-TINH", "tinh=..%2F..",
		"q=a;b=c", "q=%", "q=" + strings.Repeat("h%E1%BB%99i+", 300),
		"q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"q=Ha%CC%80+Ti%CC%83nh",
		"q=64%2F2007%2Fnd-cp&loai=van-ban&loai-van-ban=nghi-dinh&co-quan=chinh-phu&nam-ban-hanh=2007&tinh-trang=con-hieu-luc",
		"loai=tin-tuc&loai=x", "nam-ban-hanh=0", "co-quan=%C4%90", "tinh-trang=",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	root := filepath.Join(dir, "public")
	if err := os.MkdirAll(root, 0o755); err != nil {
		f.Fatal(err)
	}
	index := filepath.Join(root, ".search")
	docs := []search.Document{
		{URL: "/tin-tuc/a/", Title: "Hội nghị tổng kết", Body: "Hội nghị giáo dục tại Hà Tĩnh.", Date: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC),
			Provinces: []search.Term{{Name: "Hà Tĩnh", Slug: "ha-tinh"}}, Categories: []search.Term{{Name: "Hội nghị", Slug: "hoi-nghi"}}},
		{URL: "/tin-tuc/b/", Title: "Khai giảng năm học", Body: "Các trường học ở Nghệ An khai giảng <b>năm học</b> mới.", Date: time.Date(2025, 9, 5, 8, 0, 0, 0, time.UTC),
			Provinces: []search.Term{{Name: "Nghệ An", Slug: "nghe-an"}}, Categories: []search.Term{{Name: "Giáo dục", Slug: "giao-duc"}}},
		{URL: "/van-ban/64-2007-nd-cp/", Title: "Nghị định 64/2007/NĐ-CP: Về hội nghị", Date: time.Date(2007, 4, 10, 0, 0, 0, 0, time.UTC), Kind: search.KindDocument,
			Legal: search.Legal{Number: "64/2007/NĐ-CP", Type: search.Term{Name: "Nghị định", Slug: "nghi-dinh"}, Issuer: search.Term{Name: "Chính phủ", Slug: "chinh-phu"}, Status: search.Term{Name: "còn hiệu lực", Slug: "con-hieu-luc"}}},
	}
	if _, err := search.Build(context.Background(), index, "", docs); err != nil {
		f.Fatal(err)
	}
	h, err := server.New(server.Options{Root: root, IndexPath: index})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = h.Close() })

	f.Fuzz(func(t *testing.T, rawQuery string) {
		for _, p := range []string{"/api/search", "/tim-kiem/"} {
			if p == "/tim-kiem/" && rawQuery == "" {
				continue // no parameters: the static page, absent from this root
			}
			req := httptest.NewRequest(http.MethodGet, p, nil)
			req.URL.RawQuery = rawQuery
			req.RequestURI = p + "?" + rawQuery
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			body := rec.Body.String()
			switch res.StatusCode {
			case http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable:
			default:
				t.Fatalf("GET %s?%s: status %d, want 200, 400 or 503: %.300s", p, rawQuery, res.StatusCode, body)
			}
			if p == "/tim-kiem/" {
				if strings.Contains(strings.ToLower(body), "<script") {
					t.Fatalf("GET %s?%s: the search page has a script element", p, rawQuery)
				}
				continue
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("GET %s?%s: Content-Type %q", p, rawQuery, ct)
			}
			var v struct {
				Error *string            `json:"error"`
				Hits  *[]json.RawMessage `json:"hits"`
			}
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatalf("GET %s?%s: invalid JSON (%v): %.300s", p, rawQuery, err, body)
			}
			if res.StatusCode == http.StatusOK && v.Hits == nil {
				t.Fatalf("GET %s?%s: 200 without hits: %.300s", p, rawQuery, body)
			}
			if res.StatusCode != http.StatusOK && (v.Error == nil || *v.Error == "") {
				t.Fatalf("GET %s?%s: %d without an error message: %.300s", p, rawQuery, res.StatusCode, body)
			}
		}
	})
}
