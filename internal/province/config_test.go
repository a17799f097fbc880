package province

import (
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/config"
)

func TestForConfig(t *testing.T) {
	cfg := config.Default()
	cfg.Provinces = []config.ProvinceEntry{{Name: "Hà Tây", Kind: "tỉnh", Region: RegionRedRiverDelta, MergedInto: "Hà Nội", MergedOn: "01/08/2008"}}
	reg, err := ForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := reg.Lookup("Hà Tây")
	if !ok || p.MergedInto != "Hà Nội" || !p.MergedOn.Equal(time.Date(2008, 8, 1, 0, 0, 0, 0, p.MergedOn.Location())) || p.MergedOn.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("Hà Tây = %+v, %v", p, ok)
	}
	cfg.Provinces[0].MergedOn = "tháng tám"
	if _, err := ForConfig(cfg); err == nil || !strings.Contains(err.Error(), "2025-07-01") {
		t.Errorf("a bad mergedOn: %v", err)
	}
	if reg, err := ForConfig(config.Default()); err != nil || reg != Default() {
		t.Errorf("no entries: %v, %v; want the built-in registry", reg, err)
	}
}
