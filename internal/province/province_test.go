package province

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// mergeTable is a literal copy of "The 23 merged units" in
// /work/shared/provinces-2025.md: new unit ← the units merged into it.
var mergeTable = []struct {
	into string
	from []string
}{
	{"Tuyên Quang", []string{"Tuyên Quang", "Hà Giang"}},
	{"Lào Cai", []string{"Lào Cai", "Yên Bái"}},
	{"Thái Nguyên", []string{"Thái Nguyên", "Bắc Kạn"}},
	{"Phú Thọ", []string{"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"}},
	{"Bắc Ninh", []string{"Bắc Ninh", "Bắc Giang"}},
	{"Hưng Yên", []string{"Hưng Yên", "Thái Bình"}},
	{"Hải Phòng", []string{"Hải Phòng", "Hải Dương"}},
	{"Ninh Bình", []string{"Ninh Bình", "Hà Nam", "Nam Định"}},
	{"Quảng Trị", []string{"Quảng Trị", "Quảng Bình"}},
	{"Đà Nẵng", []string{"Đà Nẵng", "Quảng Nam"}},
	{"Quảng Ngãi", []string{"Quảng Ngãi", "Kon Tum"}},
	{"Gia Lai", []string{"Gia Lai", "Bình Định"}},
	{"Khánh Hòa", []string{"Khánh Hòa", "Ninh Thuận"}},
	{"Lâm Đồng", []string{"Lâm Đồng", "Đắk Nông", "Bình Thuận"}},
	{"Đắk Lắk", []string{"Đắk Lắk", "Phú Yên"}},
	{"Hồ Chí Minh", []string{"TP. Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu"}},
	{"Đồng Nai", []string{"Đồng Nai", "Bình Phước"}},
	{"Tây Ninh", []string{"Tây Ninh", "Long An"}},
	{"Cần Thơ", []string{"Cần Thơ", "Sóc Trăng", "Hậu Giang"}},
	{"Vĩnh Long", []string{"Vĩnh Long", "Bến Tre", "Trà Vinh"}},
	{"Đồng Tháp", []string{"Đồng Tháp", "Tiền Giang"}},
	{"Cà Mau", []string{"Cà Mau", "Bạc Liêu"}},
	{"An Giang", []string{"An Giang", "Kiên Giang"}},
}

// unchanged is "The 11 units left unchanged" from provinces-2025.md.
var unchanged = []string{
	"Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La",
	"Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
}

func mustLookup(t *testing.T, r *Registry, name string) Province {
	t.Helper()
	p, ok := r.Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) found nothing", name)
	}
	return p
}

func names(ps []Province) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func vnTime(t *testing.T, y int, m time.Month, d int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatalf("load Asia/Ho_Chi_Minh: %v", err)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func TestDefaultHas63UnitsAnd34Current(t *testing.T) {
	r := Default()
	want := map[string]bool{}
	for _, n := range unchanged {
		want[mustLookup(t, r, n).Name] = true
	}
	for _, row := range mergeTable {
		for _, n := range row.from {
			want[mustLookup(t, r, n).Name] = true
		}
	}
	if len(want) != 63 {
		t.Fatalf("provinces-2025.md names resolve to %d distinct units, want 63", len(want))
	}
	all := r.All()
	if len(all) != 63 {
		t.Fatalf("All() has %d units, want 63: %v", len(all), names(all))
	}
	for _, p := range all {
		if !want[p.Name] {
			t.Errorf("All() contains %q, which is not in provinces-2025.md", p.Name)
		}
	}
	cur := r.Current()
	if len(cur) != 34 {
		t.Fatalf("Current() has %d units, want 34: %v", len(cur), names(cur))
	}
	wantCur := map[string]bool{}
	for _, n := range unchanged {
		wantCur[n] = true
	}
	for _, row := range mergeTable {
		wantCur[row.into] = true
	}
	for _, p := range cur {
		if !wantCur[p.Name] || !p.Current || p.MergedInto != "" {
			t.Errorf("Current() contains %+v", p)
		}
	}
	for _, p := range all {
		if !vietnamese.IsNFC(p.Name) {
			t.Errorf("%q is not NFC", p.Name)
		}
		if p.Slug != vietnamese.Slug(p.Name) {
			t.Errorf("%q: slug %q, want %q", p.Name, p.Slug, vietnamese.Slug(p.Name))
		}
		if q, ok := r.BySlug(p.Slug); !ok || q.Name != p.Name {
			t.Errorf("BySlug(%q) = %q, %v; want %q", p.Slug, q.Name, ok, p.Name)
		}
	}
}

func TestMergesMatchProvinces2025(t *testing.T) {
	r := Default()
	reform := vnTime(t, 2025, time.July, 1)
	if !ReformDate().Equal(reform) || ReformDate().UTC() != time.Date(2025, 6, 30, 17, 0, 0, 0, time.UTC) {
		t.Fatalf("ReformDate() = %v, want %v", ReformDate(), reform)
	}
	for _, row := range mergeTable {
		t.Run(row.into, func(t *testing.T) {
			into := mustLookup(t, r, row.into)
			if into.Name != row.into || !into.Current || into.MergedInto != "" || !into.MergedOn.IsZero() {
				t.Errorf("new unit %q: got %+v, want current and not merged", row.into, into)
			}
			var wantPreds []string
			for _, f := range row.from {
				p := mustLookup(t, r, f)
				if p.Name == into.Name {
					continue // merged "into itself by name": still exists
				}
				wantPreds = append(wantPreds, p.Name)
				if p.MergedInto != into.Name || p.Current || !p.MergedOn.Equal(reform) {
					t.Errorf("%q: MergedInto=%q Current=%v MergedOn=%v; want %q, false, %v",
						f, p.MergedInto, p.Current, p.MergedOn, into.Name, reform)
				}
				if s, ok := r.Successor(f); !ok || s.Name != into.Name {
					t.Errorf("Successor(%q) = %q, %v; want %q", f, s.Name, ok, into.Name)
				}
				if len(p.Predecessors) != 0 {
					t.Errorf("%q merged away but has predecessors %v", f, p.Predecessors)
				}
			}
			if len(wantPreds) != len(row.from)-1 {
				t.Fatalf("table row %q: the new unit is not among its merged units", row.into)
			}
			sorted := slices.Clone(wantPreds)
			vietnamese.SortStrings(sorted)
			if !slices.Equal(into.Predecessors, sorted) {
				t.Errorf("%q predecessors = %v, want %v", row.into, into.Predecessors, sorted)
			}
		})
	}
	// Vietnamese order of predecessors, as in the brief.
	if got := mustLookup(t, r, "Phú Thọ").Predecessors; !slices.Equal(got, []string{"Hòa Bình", "Vĩnh Phúc"}) {
		t.Errorf("Phú Thọ predecessors = %v", got)
	}
	for _, n := range unchanged {
		p := mustLookup(t, r, n)
		if !p.Current || p.MergedInto != "" || len(p.Predecessors) != 0 {
			t.Errorf("unchanged unit %q: %+v", n, p)
		}
		if s, ok := r.Successor(n); !ok || s.Name != p.Name {
			t.Errorf("Successor(%q) = %q", n, s.Name)
		}
	}
}

func TestHaTinhUnchanged(t *testing.T) {
	p := mustLookup(t, Default(), "Hà Tĩnh")
	if p.Name != "Hà Tĩnh" || p.Slug != "ha-tinh" || p.Kind != KindProvince ||
		p.Region != RegionCentralCoast || !p.Current || p.MergedInto != "" ||
		!p.MergedOn.IsZero() || len(p.Predecessors) != 0 || len(p.Renamed) != 0 {
		t.Errorf("Hà Tĩnh = %+v", p)
	}
}

func TestHueRename(t *testing.T) {
	r := Default()
	p := mustLookup(t, r, "Thừa Thiên Huế")
	if p.Name != "Huế" || p.Kind != KindCity || !p.Current || p.MergedInto != "" {
		t.Fatalf("Thừa Thiên Huế resolves to %+v, want the current city Huế", p)
	}
	if len(p.Renamed) != 1 || p.Renamed[0].From != "Thừa Thiên Huế" || !p.Renamed[0].On.Equal(vnTime(t, 2025, time.January, 1)) {
		t.Errorf("Huế renamed = %+v", p.Renamed)
	}
	if !slices.Contains(p.Aliases, "Thừa Thiên Huế") {
		t.Errorf("Huế aliases = %v, want Thừa Thiên Huế", p.Aliases)
	}
	if got := len(slices.DeleteFunc(r.All(), func(q Province) bool { return q.Name != "Huế" })); got != 1 {
		t.Errorf("Huế appears %d times in All()", got)
	}
}

func TestLookupVariants(t *testing.T) {
	r := Default()
	tests := []struct{ in, want string }{
		{"Hà Tĩnh", "Hà Tĩnh"},
		{"Ha\u0300 Ti\u0303nh", "Hà Tĩnh"}, // NFD
		{"HÀ TĨNH", "Hà Tĩnh"},
		{"hà tĩnh", "Hà Tĩnh"},
		{"  Hà   Tĩnh ", "Hà Tĩnh"},
		{"tỉnh Hà Tĩnh", "Hà Tĩnh"},
		{"Tỉnh Hà Tĩnh", "Hà Tĩnh"},
		{"TỈNH HÀ TĨNH", "Hà Tĩnh"},
		{"thành phố Hà Nội", "Hà Nội"},
		{"Thành phố Đà Nẵng", "Đà Nẵng"},
		{"TP. Đà Nẵng", "Đà Nẵng"},
		{"TP.Đà Nẵng", "Đà Nẵng"},
		{"TP Cần Thơ", "Cần Thơ"},
		{"Tp. Cần Thơ", "Cần Thơ"},
		{"TPCần Thơ", "Cần Thơ"},
		{"Hồ Chí Minh", "Hồ Chí Minh"},
		{"TP. Hồ Chí Minh", "Hồ Chí Minh"},
		{"Thành phố Hồ Chí Minh", "Hồ Chí Minh"},
		{"TP.HCM", "Hồ Chí Minh"},
		{"TPHCM", "Hồ Chí Minh"},
		{"TP HCM", "Hồ Chí Minh"},
		{"Sài Gòn", "Hồ Chí Minh"},
		{"Hòa Bình", "Hòa Bình"},
		{"Hoà Bình", "Hòa Bình"},
		{"HOÀ BÌNH", "Hòa Bình"},
		{"Khánh Hoà", "Khánh Hòa"},
		{"Khánh Hòa", "Khánh Hòa"},
		{"Thanh Hoá", "Thanh Hóa"},
		{"tỉnh Thanh Hoá", "Thanh Hóa"},
		{"Bà Rịa – Vũng Tàu", "Bà Rịa – Vũng Tàu"},
		{"Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu"},
		{"Bà Rịa-Vũng Tàu", "Bà Rịa – Vũng Tàu"},
		{"Bà Rịa—Vũng Tàu", "Bà Rịa – Vũng Tàu"},
		{"Bà Rịa Vũng Tàu", "Bà Rịa – Vũng Tàu"},
		{"Thừa Thiên Huế", "Huế"},
		{"Thừa Thiên - Huế", "Huế"},
		{"tỉnh Thừa Thiên Huế", "Huế"},
		{"thành phố Huế", "Huế"},
		{"Đăk Lăk", "Đắk Lắk"},
		{"Bắc Cạn", "Bắc Kạn"},
		{"Kontum", "Kon Tum"},
		{"Vĩnh Phúc", "Vĩnh Phúc"}, // merged units are still found
	}
	for _, tt := range tests {
		p, ok := r.Lookup(tt.in)
		if !ok || p.Name != tt.want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", tt.in, p.Name, ok, tt.want)
		}
	}
	for _, in := range []string{"Ha Tinh", "Ha Noi", "Hoa Binh", "Viet Nam", "Việt Nam", "Nam", "Hà", "", "tỉnh", "thành phố", "TP.", "Hà Tĩnh Nghệ An"} {
		if p, ok := r.Lookup(in); ok {
			t.Errorf("Lookup(%q) = %q, want not found", in, p.Name)
		}
	}
}

func TestNormalizeTones(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hoà", "Hòa"}, {"hoá", "hóa"}, {"hoả", "hỏa"}, {"hoã", "hõa"}, {"hoạ", "họa"},
		{"HOÀ", "HÒA"}, {"khoẻ", "khỏe"}, {"xoè", "xòe"},
		{"Thuỷ", "Thủy"}, {"thuý", "thúy"}, {"Uỷ viên", "Ủy viên"}, {"Tỉnh uỷ", "Tỉnh ủy"},
		{"Hòa", "Hòa"}, {"Hoàng", "Hoàng"}, {"Tuyên", "Tuyên"}, {"Thuyết", "Thuyết"},
		{"hoài", "hoài"}, {"Hà Nội", "Hà Nội"}, {"Khánh Hoà, Thanh Hoá.", "Khánh Hòa, Thanh Hóa."},
	}
	for _, tt := range tests {
		if got := normalizeTones(tt.in); got != tt.want {
			t.Errorf("normalizeTones(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	r := Default()
	tests := []struct{ in, want string }{
		{"Lâm Đông", "Lâm Đồng"},
		{"Ha Tinh", "Hà Tĩnh"},
		{"ha tinh", "Hà Tĩnh"},
		{"tinh Quang Ngai", "Quảng Ngãi"},
		{"Ho Chi Minh", "Hồ Chí Minh"},
		{"Thua Thien Hue", "Huế"},
		{"Hà Tỉnh", "Hà Tĩnh"},
		{"Nghệ Ann", "Nghệ An"},
		{"Lâm Đồngg", "Lâm Đồng"},
		{"Quảng Ngãii", "Quảng Ngãi"},
		{"Hoà Bình", "Hòa Bình"}, // known: its canonical name
	}
	for _, tt := range tests {
		if got, ok := r.Suggest(tt.in); !ok || got != tt.want {
			t.Errorf("Suggest(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"", "Xyzzy Quux Blorp Frobnicate"} {
		if got, ok := r.Suggest(in); ok {
			t.Errorf("Suggest(%q) = %q, want nothing", in, got)
		}
	}
}

func TestWith(t *testing.T) {
	base := Default()
	hatay := Province{
		Name: "Hà Tây", Kind: KindProvince, Region: RegionRedRiverDelta,
		MergedInto: "thành phố Hà Nội", MergedOn: vnTime(t, 2008, time.August, 1),
	}
	r, err := base.With([]Province{
		{Name: "Hải Phòng", Aliases: []string{"Thủy Nguyên"}},
		{Name: "HÀ TĨNH", Aliases: []string{"Hà Tịnh"}},
		hatay,
	})
	if err != nil {
		t.Fatalf("With: %v", err)
	}
	if p := mustLookup(t, r, "Thuỷ Nguyên"); p.Name != "Hải Phòng" || !p.Current || p.Kind != KindCity ||
		p.Region != RegionRedRiverDelta || !slices.Equal(p.Predecessors, []string{"Hải Dương"}) {
		t.Errorf("override of Hải Phòng lost fields: %+v", p)
	}
	ht := mustLookup(t, r, "Hà Tịnh")
	if ht.Name != "HÀ TĨNH" || ht.Region != RegionCentralCoast || !ht.Current || ht.Slug != "ha-tinh" {
		t.Errorf("override of Hà Tĩnh = %+v", ht)
	}
	if p := mustLookup(t, r, "Hà Tĩnh"); p.Name != "HÀ TĨNH" {
		t.Errorf("old spelling resolves to %q", p.Name)
	}
	p := mustLookup(t, r, "tỉnh Hà Tây")
	if p.MergedInto != "Hà Nội" || p.Current || p.Slug != "ha-tay" {
		t.Errorf("added Hà Tây = %+v", p)
	}
	if got := mustLookup(t, r, "Hà Nội").Predecessors; !slices.Equal(got, []string{"Hà Tây"}) {
		t.Errorf("Hà Nội predecessors = %v, want [Hà Tây]", got)
	}
	if len(r.All()) != 64 || len(r.Current()) != 34 {
		t.Errorf("after With: %d units, %d current; want 64, 34", len(r.All()), len(r.Current()))
	}
	// The receiver is unchanged.
	if _, ok := base.Lookup("Hà Tây"); ok {
		t.Error("With modified the base registry: Hà Tây found")
	}
	if _, ok := base.Lookup("Thủy Nguyên"); ok {
		t.Error("With modified the base registry: Thủy Nguyên found")
	}
	if len(base.All()) != 63 || mustLookup(t, base, "Hà Tĩnh").Name != "Hà Tĩnh" {
		t.Error("With modified the base registry")
	}
}

func TestWithInvalid(t *testing.T) {
	base := Default()
	tests := []struct {
		name     string
		override Province
		wantErr  string
	}{
		{"alias taken", Province{Name: "Hà Tĩnh", Aliases: []string{"nghệ an"}}, `"nghệ an" is already used by province "Nghệ An"`},
		{"alias taken, other spelling", Province{Name: "Gia Lai", Aliases: []string{"TP. HCM"}}, "already used"},
		{"unknown merge target", Province{Name: "Hà Tây", Kind: KindProvince, Region: RegionRedRiverDelta, MergedInto: "Hà Nộii", MergedOn: ReformDate()}, `"Hà Nộii", but there is no province of that name`},
		{"merge without date", Province{Name: "Hà Tây", Kind: KindProvince, Region: RegionRedRiverDelta, MergedInto: "Hà Nội"}, "MergedOn is missing"},
		{"bad kind", Province{Name: "Hà Tây", Kind: "huyện", Region: RegionRedRiverDelta}, `kind "huyện" is not valid`},
		{"missing region", Province{Name: "Hà Tây", Kind: KindProvince}, "not one of the six regions"},
		{"bad region on override", Province{Name: "Hà Tĩnh", Region: "Miền Trung"}, `region "Miền Trung"`},
		{"bad slug", Province{Name: "Hà Tây", Slug: "hatay", Kind: KindProvince, Region: RegionRedRiverDelta}, `slug "hatay" does not match`},
		{"empty name", Province{Kind: KindProvince, Region: RegionRedRiverDelta}, "has no name"},
		{"merged into itself", Province{Name: "Hà Tĩnh", MergedInto: "tỉnh Hà Tĩnh", MergedOn: ReformDate()}, "merged into itself"},
		{"bogus predecessor", Province{Name: "Hà Tĩnh", Predecessors: []string{"Nghệ An"}}, `predecessor "Nghệ An" does not say it merged into "Hà Tĩnh"`},
		{"name clashes with alias", Province{Name: "Sài Gòn", Kind: KindCity, Region: RegionSoutheast}, `province "Hồ Chí Minh": alias "Sài Gòn" is already used by province "Sài Gòn"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := base.With([]Province{tt.override})
			if err == nil {
				t.Fatalf("With(%+v) succeeded (%d units), want error containing %q", tt.override, len(r.All()), tt.wantErr)
			}
			if !strings.Contains(message.En.Error(err), tt.wantErr) { // the English translation
				t.Errorf("error = %v\nwant it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewInvalid(t *testing.T) {
	day := ReformDate()
	tests := []struct {
		name    string
		ps      []Province
		wantErr string
	}{
		{"duplicate name by case and tone placement", []Province{
			{Name: "Hòa Bình", Kind: KindProvince, Region: RegionNorthernMidlands, Current: true},
			{Name: "HOÀ BÌNH", Kind: KindProvince, Region: RegionNorthernMidlands, Current: true},
		}, "already used"},
		{"cycle", []Province{
			{Name: "Hà Nam", Kind: KindProvince, Region: RegionRedRiverDelta, MergedInto: "Nam Định", MergedOn: day},
			{Name: "Nam Định", Kind: KindProvince, Region: RegionRedRiverDelta, MergedInto: "Hà Nam", MergedOn: day},
		}, "cycle"},
		{"current but merged", []Province{
			{Name: "Hà Nam", Kind: KindProvince, Region: RegionRedRiverDelta, MergedInto: "Ninh Bình", MergedOn: day, Current: true},
			{Name: "Ninh Bình", Kind: KindProvince, Region: RegionRedRiverDelta, Current: true},
		}, "marked current but merged"},
		{"not current, not merged", []Province{
			{Name: "Ninh Bình", Kind: KindProvince, Region: RegionRedRiverDelta},
		}, "not marked current"},
		{"rename without date", []Province{
			{Name: "Huế", Kind: KindCity, Region: RegionCentralCoast, Current: true, Renamed: []Rename{{From: "Thừa Thiên Huế"}}},
		}, "has no date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.ps); err == nil || !strings.Contains(message.En.Error(err), tt.wantErr) {
				t.Errorf("New error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	// Every problem is reported, not only the first.
	_, err := New([]Province{{Name: "A", Kind: "x"}, {Name: "B", Kind: KindCity, Region: "y", Current: true}})
	if err == nil || strings.Count(err.Error(), "\n") < 4 {
		t.Errorf("New error = %v, want all four problems listed", err)
	}
}

func TestNewRoundTripsDefault(t *testing.T) {
	all := Default().All()
	slices.Reverse(all)
	r, err := New(all)
	if err != nil {
		t.Fatalf("New(Default().All()) = %v", err)
	}
	if !slices.Equal(names(r.All()), names(Default().All())) {
		t.Errorf("order depends on input order:\n%v\n%v", names(r.All()), names(Default().All()))
	}
}

func TestAllOrderIsDeterministicAndVietnamese(t *testing.T) {
	r := Default()
	first := names(r.All())
	for range 5 {
		if got := names(r.All()); !slices.Equal(got, first) {
			t.Fatalf("All() order changed:\n%v\n%v", first, got)
		}
	}
	if first[0] != "An Giang" || first[len(first)-1] != "Yên Bái" {
		t.Errorf("All() runs %q … %q, want An Giang … Yên Bái", first[0], first[len(first)-1])
	}
	// Đ sorts after every D…/C… name and before G.
	pos := func(n string) int { return slices.Index(first, n) }
	if !(pos("Cần Thơ") < pos("Điện Biên") && pos("Đồng Tháp") < pos("Gia Lai") && pos("Bạc Liêu") < pos("Cà Mau")) {
		t.Errorf("All() is not in Vietnamese order: %v", first)
	}
	sorted := slices.Clone(first)
	vietnamese.SortStrings(sorted)
	if !slices.Equal(sorted, first) {
		t.Errorf("All() = %v\nwant %v", first, sorted)
	}
	cur := names(r.Current())
	if !slices.IsSortedFunc(cur, func(a, b string) int { return pos(a) - pos(b) }) {
		t.Errorf("Current() is not in All() order: %v", cur)
	}
}

func TestReturnedValuesDoNotAlias(t *testing.T) {
	r := Default()
	p := mustLookup(t, r, "Phú Thọ")
	p.Predecessors[0] = "changed"
	all := r.All()
	all[0].Name = "changed"
	h := mustLookup(t, r, "Huế")
	h.Aliases[0] = "changed"
	if got := mustLookup(t, r, "Phú Thọ").Predecessors[0]; got != "Hòa Bình" {
		t.Errorf("registry modified through Lookup result: %q", got)
	}
	if r.All()[0].Name != "An Giang" || mustLookup(t, r, "Huế").Aliases[0] != "Thừa Thiên Huế" {
		t.Error("registry modified through a returned value")
	}
}

func TestRegions(t *testing.T) {
	r := Default()
	want := []string{
		"Trung du và miền núi phía Bắc", "Đồng bằng sông Hồng", "Bắc Trung Bộ và duyên hải miền Trung",
		"Tây Nguyên", "Đông Nam Bộ", "Đồng bằng sông Cửu Long",
	}
	if got := r.Regions(); !slices.Equal(got, want) {
		t.Fatalf("Regions() = %v", got)
	}
	r.Regions()[0] = "changed"
	if r.Regions()[0] != want[0] {
		t.Error("Regions() returns a shared slice")
	}
	count := map[string]int{}
	for _, p := range r.All() {
		count[p.Region]++
	}
	wantCount := map[string]int{want[0]: 14, want[1]: 11, want[2]: 14, want[3]: 5, want[4]: 6, want[5]: 13}
	for reg, n := range wantCount {
		if count[reg] != n {
			t.Errorf("region %q has %d units, want %d", reg, count[reg], n)
		}
	}
	if len(count) != 6 {
		t.Errorf("units use %d regions: %v", len(count), count)
	}
}

func TestBySlug(t *testing.T) {
	r := Default()
	for slug, want := range map[string]string{
		"ha-tinh": "Hà Tĩnh", "ho-chi-minh": "Hồ Chí Minh", "hue": "Huế",
		"ba-ria-vung-tau": "Bà Rịa – Vũng Tàu", "dak-lak": "Đắk Lắk", " HA-NOI ": "Hà Nội",
	} {
		if p, ok := r.BySlug(slug); !ok || p.Name != want {
			t.Errorf("BySlug(%q) = %q, %v; want %q", slug, p.Name, ok, want)
		}
	}
	if p, ok := r.BySlug("thua-thien-hue"); ok {
		t.Errorf("BySlug(thua-thien-hue) = %q; slugs are canonical only", p.Name)
	}
}

func TestConcurrentUse(t *testing.T) {
	r := Default()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, ok := r.Lookup("Hoà Bình"); !ok {
					t.Error("Lookup failed")
				}
				if got := r.FindIn("tỉnh Gia Lai"); len(got) != 1 {
					t.Error("FindIn failed")
				}
				_ = r.All()
			}
		})
	}
	wg.Wait()
}
