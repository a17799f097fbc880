package build

import (
	"encoding/json"
	"reflect"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
)

// A mistake in data/to-chuc.toml (the organisation: footer, contact page, English page)
// does not stop the news: when the output this build replaces was built with good
// organisation data, its manifest (.portal.json, or the preview's last one in memory)
// holds that data, and the build uses it, says so (rule "organization-fallback") and
// reports the file as held back (exit 3). With nothing to fall back on, or with
// --strict, the errors fail the build as before.

// orgJSON is cfg's organisation as the manifest keeps it (nil when there is none: a site
// without organisation data has nothing to fall back on, and its manifest stays as it was).
func orgJSON(cfg config.Config) json.RawMessage {
	if reflect.ValueOf(cfg.Organization).IsZero() {
		return nil
	}
	b, _ := json.Marshal(cfg.Organization) // strings and slices of structs: cannot fail
	return b
}

// organizationFallback is called when loading the configuration failed with err. When
// the only errors of ds are about the organisation file and the current output's
// manifest has the organisation of its build, it returns cfg with that organisation,
// held true and a nil error, after a warning at the file's first error.
func organizationFallback(cfg config.Config, err error, dest string, manifests manifestStore, ds *diag.List) (config.Config, bool, error) {
	file := map[string]bool{config.OrganizationFile: true}
	var first diag.Diagnostic
	for _, d := range ds.Items() {
		if d.Severity == diag.Error && d.Path == config.OrganizationFile && first.Path == "" {
			first = d
		}
	}
	if first.Path == "" || siteErr(ds.Items(), file) != nil {
		return cfg, false, err
	}
	m, merr := manifests.previous(dest)
	if merr != nil || len(m.Organization) == 0 {
		return cfg, false, err
	}
	var org config.Organization
	if json.Unmarshal(m.Organization, &org) != nil {
		return cfg, false, err
	}
	cfg.Organization = org
	ds.Warnf(first.Path, first.Line, first.Col, "organization-fallback", "%s có lỗi nên lần dựng này dùng thông tin cơ quan của lần dựng thành công trước (chân trang, trang liên hệ, trang tiếng Anh giữ như cũ): sửa lỗi rồi dựng lại để cập nhật", config.OrganizationFile)
	return cfg, true, nil
}

// onlyOrganizationErrors reports whether the errors of ds are all about the organisation
// file. What serves a built site (portal serve, serve --watch, portal import: LoadConfig)
// needs no organisation data, so such errors (still in ds, printed) do not stop it: a
// server restarted while the file is broken starts, and serve --watch's builds fall back
// as above.
func onlyOrganizationErrors(ds *diag.List) bool {
	return siteErr(ds.Items(), map[string]bool{config.OrganizationFile: true}) == nil
}
