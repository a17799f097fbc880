package render

import (
	"time"

	"github.com/vnportal/portal/internal/site"
)

// legislation is the schema.org Legislation of a legal document's page.
func legislation(a *site.Article, org map[string]any) map[string]any {
	l, d := a.Legal, a.DocInfo
	m := map[string]any{
		"@context":              "https://schema.org",
		"@type":                 "Legislation",
		"name":                  l.Type + " " + l.Number,
		"abstract":              a.Title,
		"legislationIdentifier": l.Number,
		"legislationType":       l.Type,
		"legislationDate":       l.Issued.Format(time.DateOnly),
		"legislationLegalForce": legalForce(d.Status),
		"inLanguage":            "vi",
		"url":                   a.Permalink,
		"publisher":             org,
	}
	if l.Issuer != "" {
		m["legislationPassedBy"] = map[string]any{"@type": "GovernmentOrganization", "name": l.Issuer}
	}
	if !l.Effective.IsZero() {
		m["legislationDateVersion"] = l.Effective.Format(time.DateOnly)
	}
	if len(d.Fields) > 0 {
		var about []string
		for _, f := range d.Fields {
			about = append(about, f.Name)
		}
		m["keywords"] = about
	}
	// schema.org has one property for a document that changes another: amending and
	// replacing (repealing) both are legislationChanges.
	var refs []any
	for _, o := range append(append([]*site.Article{}, d.Replaces...), d.Amends...) {
		refs = append(refs, map[string]any{"@type": "Legislation", "legislationIdentifier": o.Legal.Number, "url": o.Permalink})
	}
	if len(refs) > 0 {
		m["legislationChanges"] = refs
	}
	if l.Signer != "" {
		m["legislationResponsible"] = map[string]any{"@type": "Person", "name": l.Signer}
	}
	var files []any
	for _, f := range d.Attachments {
		files = append(files, map[string]any{"@type": "DataDownload", "contentUrl": a.Permalink + f.Name, "encodingFormat": f.Format, "contentSize": f.SizeText()})
	}
	if len(files) > 0 {
		m["encoding"] = files
	}
	return m
}

// legalForce maps a status to schema.org's LegalForceStatus.
func legalForce(status string) string {
	switch status {
	case "còn hiệu lực":
		return "https://schema.org/InForce"
	case "hết hiệu lực một phần":
		return "https://schema.org/PartiallyInForce"
	}
	return "https://schema.org/NotInForce"
}
