package render

import (
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/vietnamese"
)

// pageLayout is a standalone page's front matter layout ("contact" picks the layout
// page-contact.html), "" when it has none or one that is not a plain slug.
func pageLayout(p *site.Page) string {
	if p.Article == nil || p.Kind != site.KindPage {
		return ""
	}
	l, _ := p.Article.Params["layout"].(string)
	if l == "" || vietnamese.Slug(l) != l {
		return ""
	}
	return l
}

// organizationLD is the agency as schema.org's GovernmentOrganization: the publisher
// of every page (name, address, telephone, e-mail), and with full, on the contact
// pages, its leaders (employee, with jobTitle), the press spokesperson (a contactPoint
// of contactType "press") and its units (subOrganization).
func organizationLD(cfg config.Config, full, english bool) map[string]any {
	o := cfg.Organization
	pick := func(vi, enV string) string {
		if english && enV != "" {
			return enV
		}
		return vi
	}
	m := map[string]any{"@type": "GovernmentOrganization", "name": pick(firstNonEmpty(o.Name, cfg.Title), o.NameEN), "url": firstNonEmpty(o.Website, cfg.BaseURL)}
	if a := pick(o.Address, o.AddressEN); a != "" {
		m["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": a, "addressCountry": "VN"}
	}
	if t := config.TelURI(o.Phone); t != "" {
		m["telephone"] = t
	}
	if o.Email != "" {
		m["email"] = o.Email
	}
	if o.Agency != "" {
		m["parentOrganization"] = map[string]any{"@type": "GovernmentOrganization", "name": pick(o.Agency, o.AgencyEN)}
	}
	if !full {
		return m
	}
	person := func(p config.Person) map[string]any {
		pm := map[string]any{"@type": "Person", "name": p.Name}
		if t := pick(p.Title, p.TitleEN); t != "" {
			pm["jobTitle"] = t
		}
		if t := config.TelURI(p.Phone); t != "" {
			pm["telephone"] = t
		}
		if p.Email != "" {
			pm["email"] = p.Email
		}
		return pm
	}
	var staff []any
	for _, l := range o.Leaders {
		staff = append(staff, person(l))
	}
	if len(staff) > 0 {
		m["employee"] = staff
	}
	if s := o.Spokesperson; s.Name != "" {
		cp := map[string]any{"@type": "ContactPoint", "contactType": "press", "name": s.Name}
		if t := config.TelURI(s.Phone); t != "" {
			cp["telephone"] = t
		}
		if s.Email != "" {
			cp["email"] = s.Email
		}
		m["contactPoint"] = []any{cp}
	}
	var units []any
	for _, u := range o.Units {
		um := map[string]any{"@type": "GovernmentOrganization", "name": pick(u.Name, u.NameEN)}
		if t := config.TelURI(u.Phone); t != "" {
			um["telephone"] = t
		}
		if u.Email != "" {
			um["email"] = u.Email
		}
		if u.Address != "" {
			um["address"] = map[string]any{"@type": "PostalAddress", "streetAddress": u.Address, "addressCountry": "VN"}
		}
		units = append(units, um)
	}
	if len(units) > 0 {
		m["subOrganization"] = units
	}
	return m
}

// contactPageLD is a contact page (layout contact, or contact-en for the English one):
// a ContactPage about the agency, with everything the organisation file says.
func contactPageLD(cfg config.Config, p *site.Page, layout string) map[string]any {
	lang := "vi"
	if layout == "contact-en" {
		lang = "en"
	}
	org := organizationLD(cfg, true, lang == "en")
	return map[string]any{"@context": "https://schema.org", "@type": "ContactPage", "name": p.Title, "url": p.Permalink,
		"inLanguage": lang, "mainEntity": org, "publisher": organizationLD(cfg, false, false)}
}
