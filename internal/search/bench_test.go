package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// Vocabulary of a provincial news portal, for generated articles.
var (
	genWords = strings.Fields(`ủy ban nhân dân tỉnh huyện xã phường thị trấn hội nghị triển khai nhiệm vụ kế hoạch
	phát triển kinh tế xã hội năm nay cán bộ công chức viên chức người dân doanh nghiệp đầu tư dự án công trình
	giao thông nông thôn mới chương trình mục tiêu quốc gia giảm nghèo bền vững y tế giáo dục đào tạo văn hóa
	thể thao du lịch an ninh quốc phòng trật tự an toàn xã hội cải cách hành chính chuyển đổi số dịch vụ công
	trực tuyến thủ tục hồ sơ giải quyết đúng hạn tiếp nhận phản ánh kiến nghị lãnh đạo chỉ đạo đề nghị yêu cầu
	các sở ban ngành địa phương đơn vị tổ chức thực hiện kiểm tra giám sát đánh giá kết quả đạt được tồn tại hạn chế
	nguyên nhân giải pháp trong thời gian tới tiếp tục đẩy mạnh tăng cường nâng cao chất lượng hiệu quả công tác
	phòng chống thiên tai bão lũ hạn hán xâm nhập mặn môi trường tài nguyên đất đai khoáng sản rừng biển đảo
	nông nghiệp thủy sản chăn nuôi trồng trọt sản phẩm ocop hợp tác xã lao động việc làm an sinh chính sách
	người có công gia đình trẻ em phụ nữ thanh niên đoàn hội liên hiệp mặt trận tổ quốc đảng bộ chi bộ nghị quyết
	quyết định thông tư hướng dẫn văn bản quy phạm pháp luật ngân sách thu chi vốn giải ngân tiến độ mặt bằng`)
	genProvinces = []Term{
		{"Hà Nội", "ha-noi"}, {"Hà Tĩnh", "ha-tinh"}, {"Lâm Đồng", "lam-dong"}, {"Đà Nẵng", "da-nang"},
		{"Nghệ An", "nghe-an"}, {"Quảng Ninh", "quang-ninh"}, {"Thừa Thiên Huế", "thua-thien-hue"},
		{"Cần Thơ", "can-tho"}, {"Đắk Lắk", "dak-lak"}, {"Lào Cai", "lao-cai"}, {"Bình Định", "binh-dinh"},
		{"Thanh Hóa", "thanh-hoa"}, {"Khánh Hòa", "khanh-hoa"}, {"An Giang", "an-giang"}, {"Hải Phòng", "hai-phong"},
	}
	genCategories = []Term{
		{"Thời sự", "thoi-su"}, {"Kinh tế", "kinh-te"}, {"Văn hóa", "van-hoa"}, {"Xã hội", "xa-hoi"},
		{"Văn bản", "van-ban"}, {"Công nghệ", "cong-nghe"}, {"Cải cách hành chính", "cai-cach-hanh-chinh"},
	}
)

func genSentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = genWords[r.IntN(len(genWords))]
	}
	r0, n0 := utf8.DecodeRuneInString(w[0]) // "đ" is two bytes: upper-case the letter, not a byte
	w[0] = string(unicode.ToUpper(r0)) + w[0][n0:]
	if r.IntN(8) == 0 {
		w[r.IntN(n)] = fmt.Sprintf("%d/%d/NĐ-CP", r.IntN(200)+1, 2000+r.IntN(25))
	}
	return strings.Join(w, " ") + "."
}

// genDocs generates n articles of realistic length: a title of ~12 words,
// a lead of ~35 words and a body of ~500 words (≈3 KB of text).
func genDocs(n int, seed uint64) []Document {
	r := rand.New(rand.NewPCG(seed, 42))
	docs := make([]Document, n)
	for i := range docs {
		var body []string
		for j := 0; j < 25; j++ {
			body = append(body, genSentence(r, 15+r.IntN(10)))
		}
		p := genProvinces[r.IntN(len(genProvinces))]
		docs[i] = Document{
			URL:        fmt.Sprintf("/tin-tuc/bai-%05d/", i),
			Title:      strings.TrimSuffix(genSentence(r, 8+r.IntN(8)), "."),
			Summary:    genSentence(r, 25+r.IntN(20)) + " " + p.Name + ".",
			Body:       strings.Join(body, " "),
			Date:       time.Date(2005+r.IntN(20), time.Month(1+r.IntN(12)), 1+r.IntN(28), 8, 0, 0, 0, vnZone),
			Provinces:  []Term{p},
			Categories: []Term{genCategories[r.IntN(len(genCategories))]},
		}
	}
	return docs
}

// cpuTime is the process's user+system CPU time: on a shared 2-core machine
// it is a steadier measure of the work than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func textBytes(docs []Document) int {
	n := 0
	for _, d := range docs {
		n += len(d.Title) + len(d.Summary) + len(d.Body)
	}
	return n
}

// BenchmarkBuild10k: full build of 10,000 generated articles.
//
//	go test -run '^$' -bench BenchmarkBuild -benchtime 1x ./internal/search/
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10000) }

// BenchmarkBuild1k: the same with 1,000 articles.
func BenchmarkBuild1k(b *testing.B) { benchBuild(b, 1000) }

func benchBuild(b *testing.B, n int) {
	docs := genDocs(n, 1)
	b.SetBytes(int64(textBytes(docs)))
	var st BuildStats
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		var err error
		c0 := cpuTime()
		if st, err = Build(context.Background(), dir, "", docs); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(st.Bytes)/1e6, "MB-index")
	b.ReportMetric(float64(len(docs))/st.Duration.Seconds(), "docs/s")
}

// BenchmarkBuildIncremental10k: 10,000 articles, 50 edited, 10 deleted,
// 10 added since the previous generation.
func BenchmarkBuildIncremental10k(b *testing.B) {
	docs := genDocs(10000, 1)
	prev := filepath.Join(b.TempDir(), "prev")
	if _, err := Build(context.Background(), prev, "", docs); err != nil {
		b.Fatal(err)
	}
	next := slices.Clone(docs)
	for i := 0; i < 50; i++ {
		next[i*100].Body += " Cập nhật thông tin mới."
	}
	next = append(next[:9990], genDocs(10010, 2)[10000:]...)
	for i := range next[9990:] {
		next[9990+i].URL = fmt.Sprintf("/tin-tuc/moi-%d/", i)
	}
	var st BuildStats
	for i := 0; b.Loop(); i++ {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		var err error
		if st, err = Build(context.Background(), dir, prev, next); err != nil {
			b.Fatal(err)
		}
	}
	if !st.Incremental || st.Updated != 50 || st.Added != 10 || st.Deleted != 10 {
		b.Fatalf("stats %+v", st)
	}
}

// BenchmarkSearch: queries on a 10,000-article index; reports p50 and p95
// latency per query.
func BenchmarkSearch(b *testing.B) {
	docs := genDocs(10000, 1)
	dir := filepath.Join(b.TempDir(), "index")
	if _, err := Build(context.Background(), dir, "", docs); err != nil {
		b.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	reqs := []Request{
		{Query: "ha tinh"},
		{Query: "cải cách hành chính"},
		{Query: "chuyen doi so dich vu cong"},
		{Query: "nghị định 64"},
		{Query: "an ninh", Provinces: []string{"da-nang", "ha-noi"}},
		{Query: "giải ngân vốn đầu tư công", Sort: SortNewest},
		{Query: "các", Page: 5},
		{Query: "thủy sản", Years: []int{2010, 2011}},
	}
	var lat []time.Duration
	c0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if _, err := ix.Search(context.Background(), reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

// BenchmarkUpdateOneArticle: one article of 2,000 (10,000) edited, as `portal serve --watch` does
// on a save: the next generation built from the current one (segments shared), then
// opened as Live opens it (the shared segments not read again). The documents carry
// their hash and load their bodies on demand, as the build's do.
func BenchmarkUpdateOneArticle(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchUpdateOne(b, n) })
	}
}

func benchUpdateOne(b *testing.B, n int) {
	docs := genDocs(n, 1)
	for i := range docs {
		docs[i].Hash = contentHash(docs[i])
		body := docs[i].Body
		docs[i].Body, docs[i].LoadBody = "", func() (string, error) { return body, nil }
	}
	prev := filepath.Join(b.TempDir(), "prev")
	if _, err := Build(context.Background(), prev, "", docs); err != nil {
		b.Fatal(err)
	}
	cur, err := Open(prev)
	if err != nil {
		b.Fatal(err)
	}
	var opening time.Duration
	cpu := cpuTime()
	for i := 0; b.Loop(); i++ {
		next := slices.Clone(docs)
		edited := &next[i%len(next)]
		body, err := edited.LoadBody()
		if err != nil {
			b.Fatal(err)
		}
		body += " Cập nhật thông tin mới."
		edited.LoadBody, edited.Hash = func() (string, error) { return body, nil }, fmt.Sprint("edited ", i)
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		st, err := Build(context.Background(), dir, prev, next)
		if err != nil {
			b.Fatal(err)
		}
		if !st.Incremental || st.Updated != 1 {
			b.Fatalf("stats %+v", st)
		}
		start := time.Now()
		ix, err := openKnown(dir, cur)
		if err != nil {
			b.Fatal(err)
		}
		opening += time.Since(start)
		cur.Close()
		cur, prev, docs = ix, dir, next
	}
	cur.Close()
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(opening.Milliseconds())/float64(b.N), "open-ms/op")
}

// BenchmarkAnalyze: one worker's analysis of 500 generated articles (docAnalyzer.analyze,
// their term counts given back as a segment writer gives them), without the segments.
func BenchmarkAnalyze(b *testing.B) {
	im, err := newMapping()
	if err != nil {
		b.Fatal(err)
	}
	prepared, err := NewMemo().prepare(genDocs(500, 1))
	if err != nil {
		b.Fatal(err)
	}
	pool := &freqPool{}
	a := newDocAnalyzer(im, pool)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range prepared {
			doc, err := a.analyze(d)
			if err != nil {
				b.Fatal(err)
			}
			pool.recycle(doc)
		}
	}
}
