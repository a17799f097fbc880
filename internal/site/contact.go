package site

// KindContact is the contact page made from the organisation file alone
// (config.OrganizationFile) when no standalone page takes its place: /lien-he/.
const KindContact Kind = "contact"

// ContactURL is where the generated contact page is published.
const ContactURL = "/lien-he/"

// contactPage adds /lien-he/ when the organisation file lists people or units to contact
// and no standalone page is the contact page already (one at /lien-he/, or one with
// `layout: contact`, which shows the same contacts above its own text).
func (a *assembler) contactPage() {
	if !a.in.Config.Organization.HasContacts() {
		return
	}
	for _, art := range a.g.Standalone {
		if l, _ := art.Params["layout"].(string); art.URL == ContactURL || l == "contact" {
			return
		}
	}
	a.add(&Page{Kind: KindContact, URL: ContactURL, Title: "Liên hệ",
		Description: "Địa chỉ, điện thoại và thư điện tử của cơ quan, lãnh đạo, người phát ngôn và các đơn vị",
		Crumbs:      []Crumb{home, {"Liên hệ", ContactURL}}})
}
