package province

import (
	"time"

	"github.com/vnportal/portal/internal/vietnamese"
)

// The six socio-economic regions, in the fixed north→south order returned by
// [Registry.Regions].
const (
	RegionNorthernMidlands = "Trung du và miền núi phía Bắc"
	RegionRedRiverDelta    = "Đồng bằng sông Hồng"
	RegionCentralCoast     = "Bắc Trung Bộ và duyên hải miền Trung"
	RegionCentralHighlands = "Tây Nguyên"
	RegionSoutheast        = "Đông Nam Bộ"
	RegionMekongDelta      = "Đồng bằng sông Cửu Long"
)

// regionOrder returns the six regions north→south. A function, not a
// package-level slice, so callers can never mutate a shared table.
func regionOrder() []string {
	return []string{
		RegionNorthernMidlands,
		RegionRedRiverDelta,
		RegionCentralCoast,
		RegionCentralHighlands,
		RegionSoutheast,
		RegionMekongDelta,
	}
}

// ReformDate is the day the 34 new provincial-level units started work under
// Resolution 202/2025/QH15: 1 July 2025, 00:00 Asia/Ho_Chi_Minh.
func ReformDate() time.Time { return time.Date(2025, time.July, 1, 0, 0, 0, 0, vietnamese.Location()) }

// HueCityDate is the day Thừa Thiên Huế became the centrally-run city of Huế:
// 1 January 2025, 00:00 Asia/Ho_Chi_Minh.
func HueCityDate() time.Time {
	return time.Date(2025, time.January, 1, 0, 0, 0, 0, vietnamese.Location())
}

// unitRow is one of the 63 pre-reform units in the built-in table.
type unitRow struct {
	name    string
	kind    Kind
	region  string
	aliases []string
}

// defaultUnits lists the 63 provincial-level units that existed before
// 1 July 2025, grouped by region (north→south). Names use the spelling of
// /work/shared/provinces-2025.md ("Hòa Bình", "Khánh Hòa", "Thanh Hóa").
// Region is the pre-2025 socio-economic region of the unit bearing the name.
func defaultUnits() []unitRow {
	const (
		t  = KindProvince
		tp = KindCity
	)
	return []unitRow{
		// Trung du và miền núi phía Bắc (14)
		{"Hà Giang", t, RegionNorthernMidlands, nil},
		{"Cao Bằng", t, RegionNorthernMidlands, nil},
		{"Bắc Kạn", t, RegionNorthernMidlands, []string{"Bắc Cạn"}},
		{"Tuyên Quang", t, RegionNorthernMidlands, nil},
		{"Lào Cai", t, RegionNorthernMidlands, nil},
		{"Yên Bái", t, RegionNorthernMidlands, nil},
		{"Thái Nguyên", t, RegionNorthernMidlands, nil},
		{"Lạng Sơn", t, RegionNorthernMidlands, nil},
		{"Bắc Giang", t, RegionNorthernMidlands, nil},
		{"Phú Thọ", t, RegionNorthernMidlands, nil},
		{"Điện Biên", t, RegionNorthernMidlands, nil},
		{"Lai Châu", t, RegionNorthernMidlands, nil},
		{"Sơn La", t, RegionNorthernMidlands, nil},
		{"Hòa Bình", t, RegionNorthernMidlands, nil},
		// Đồng bằng sông Hồng (11)
		{"Hà Nội", tp, RegionRedRiverDelta, nil},
		{"Vĩnh Phúc", t, RegionRedRiverDelta, nil},
		{"Bắc Ninh", t, RegionRedRiverDelta, nil},
		{"Quảng Ninh", t, RegionRedRiverDelta, nil},
		{"Hải Dương", t, RegionRedRiverDelta, nil},
		{"Hải Phòng", tp, RegionRedRiverDelta, nil},
		{"Hưng Yên", t, RegionRedRiverDelta, nil},
		{"Thái Bình", t, RegionRedRiverDelta, nil},
		{"Hà Nam", t, RegionRedRiverDelta, nil},
		{"Nam Định", t, RegionRedRiverDelta, nil},
		{"Ninh Bình", t, RegionRedRiverDelta, nil},
		// Bắc Trung Bộ và duyên hải miền Trung (14)
		{"Thanh Hóa", t, RegionCentralCoast, nil},
		{"Nghệ An", t, RegionCentralCoast, nil},
		{"Hà Tĩnh", t, RegionCentralCoast, nil},
		{"Quảng Bình", t, RegionCentralCoast, nil},
		{"Quảng Trị", t, RegionCentralCoast, nil},
		{"Huế", tp, RegionCentralCoast, []string{"Thừa Thiên Huế"}},
		{"Đà Nẵng", tp, RegionCentralCoast, nil},
		{"Quảng Nam", t, RegionCentralCoast, nil},
		{"Quảng Ngãi", t, RegionCentralCoast, nil},
		{"Bình Định", t, RegionCentralCoast, nil},
		{"Phú Yên", t, RegionCentralCoast, nil},
		{"Khánh Hòa", t, RegionCentralCoast, nil},
		{"Ninh Thuận", t, RegionCentralCoast, nil},
		{"Bình Thuận", t, RegionCentralCoast, nil},
		// Tây Nguyên (5)
		{"Kon Tum", t, RegionCentralHighlands, []string{"Kontum"}},
		{"Gia Lai", t, RegionCentralHighlands, nil},
		{"Đắk Lắk", t, RegionCentralHighlands, []string{"Đắc Lắc", "Đăk Lăk", "Đắk Lăk"}},
		{"Đắk Nông", t, RegionCentralHighlands, []string{"Đắc Nông", "Đăk Nông"}},
		{"Lâm Đồng", t, RegionCentralHighlands, nil},
		// Đông Nam Bộ (6)
		{"Bình Phước", t, RegionSoutheast, nil},
		{"Tây Ninh", t, RegionSoutheast, nil},
		{"Bình Dương", t, RegionSoutheast, nil},
		{"Đồng Nai", t, RegionSoutheast, nil},
		{"Bà Rịa – Vũng Tàu", t, RegionSoutheast, nil},
		{"Hồ Chí Minh", tp, RegionSoutheast, []string{
			"TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP.HCM", "TPHCM", "TP HCM", "Sài Gòn",
		}},
		// Đồng bằng sông Cửu Long (13)
		{"Long An", t, RegionMekongDelta, nil},
		{"Tiền Giang", t, RegionMekongDelta, nil},
		{"Bến Tre", t, RegionMekongDelta, nil},
		{"Trà Vinh", t, RegionMekongDelta, nil},
		{"Vĩnh Long", t, RegionMekongDelta, nil},
		{"Đồng Tháp", t, RegionMekongDelta, nil},
		{"An Giang", t, RegionMekongDelta, nil},
		{"Kiên Giang", t, RegionMekongDelta, nil},
		{"Cần Thơ", tp, RegionMekongDelta, nil},
		{"Hậu Giang", t, RegionMekongDelta, nil},
		{"Sóc Trăng", t, RegionMekongDelta, nil},
		{"Bạc Liêu", t, RegionMekongDelta, nil},
		{"Cà Mau", t, RegionMekongDelta, nil},
	}
}

// defaultMerges maps each of the 23 merged post-reform units to the OTHER
// units merged into it on 1 July 2025 (provinces-2025.md, "The 23 merged
// units").
func defaultMerges() map[string][]string {
	return map[string][]string{
		"Tuyên Quang": {"Hà Giang"},
		"Lào Cai":     {"Yên Bái"},
		"Thái Nguyên": {"Bắc Kạn"},
		"Phú Thọ":     {"Vĩnh Phúc", "Hòa Bình"},
		"Bắc Ninh":    {"Bắc Giang"},
		"Hưng Yên":    {"Thái Bình"},
		"Hải Phòng":   {"Hải Dương"},
		"Ninh Bình":   {"Hà Nam", "Nam Định"},
		"Quảng Trị":   {"Quảng Bình"},
		"Đà Nẵng":     {"Quảng Nam"},
		"Quảng Ngãi":  {"Kon Tum"},
		"Gia Lai":     {"Bình Định"},
		"Khánh Hòa":   {"Ninh Thuận"},
		"Lâm Đồng":    {"Đắk Nông", "Bình Thuận"},
		"Đắk Lắk":     {"Phú Yên"},
		"Hồ Chí Minh": {"Bình Dương", "Bà Rịa – Vũng Tàu"},
		"Đồng Nai":    {"Bình Phước"},
		"Tây Ninh":    {"Long An"},
		"Cần Thơ":     {"Sóc Trăng", "Hậu Giang"},
		"Vĩnh Long":   {"Bến Tre", "Trà Vinh"},
		"Đồng Tháp":   {"Tiền Giang"},
		"Cà Mau":      {"Bạc Liêu"},
		"An Giang":    {"Kiên Giang"},
	}
}

// defaultProvinces builds the 63 built-in entries. Predecessors are derived
// by [New] from MergedInto, so they are not set here.
func defaultProvinces() []Province {
	mergedInto := make(map[string]string)
	for into, from := range defaultMerges() {
		for _, f := range from {
			mergedInto[f] = into
		}
	}
	rows := defaultUnits()
	out := make([]Province, 0, len(rows))
	for _, row := range rows {
		p := Province{
			Name:    row.name,
			Kind:    row.kind,
			Region:  row.region,
			Aliases: row.aliases,
			Current: true,
		}
		if into, ok := mergedInto[row.name]; ok {
			p.MergedInto = into
			p.MergedOn = ReformDate()
			p.Current = false
		}
		if row.name == "Huế" {
			p.Renamed = []Rename{{From: "Thừa Thiên Huế", On: HueCityDate()}}
		}
		out = append(out, p)
	}
	return out
}
