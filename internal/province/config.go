package province

import (
	"strings"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// ForConfig returns the built-in registry with config.toml's [[provinces]] entries
// applied (see Registry.With).
func ForConfig(cfg config.Config) (*Registry, error) {
	reg := Default()
	if len(cfg.Provinces) == 0 {
		return reg, nil
	}
	extra := make([]Province, 0, len(cfg.Provinces))
	for _, e := range cfg.Provinces {
		p := Province{Name: e.Name, Kind: Kind(e.Kind), Region: e.Region, Aliases: e.Aliases, MergedInto: e.MergedInto}
		if s := strings.TrimSpace(e.MergedOn); s != "" {
			t, err := time.ParseInLocation(time.DateOnly, s, vietnamese.Location())
			if err != nil {
				t, err = time.ParseInLocation("02/01/2006", s, vietnamese.Location())
			}
			if err != nil {
				return nil, message.Errorf("%s: mergedOn %q không phải ngày: viết theo dạng 2025-07-01", e.Name, s)
			}
			p.MergedOn = t
		}
		extra = append(extra, p)
	}
	return reg.With(extra)
}
