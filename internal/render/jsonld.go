package render

import "encoding/json"

// newsArticleLD is an article's NewsArticle. Its fields are in the order of their JSON names,
// so that it encodes to the bytes the map of the same keys did (json.Marshal sorts a map's
// keys), without building and sorting a map per page.
type newsArticleLD struct {
	Context          string          `json:"@context"`
	Type             string          `json:"@type"`
	Author           *nameLD         `json:"author,omitempty"`
	ContentLocation  []nameLD        `json:"contentLocation,omitempty"`
	DateModified     string          `json:"dateModified"`
	DatePublished    string          `json:"datePublished"`
	Description      string          `json:"description"`
	Headline         string          `json:"headline"`
	Image            string          `json:"image,omitempty"`
	InLanguage       string          `json:"inLanguage"`
	MainEntityOfPage string          `json:"mainEntityOfPage"`
	Publisher        json.RawMessage `json:"publisher"`
	URL              string          `json:"url"`
}

// nameLD is a thing with a type and a name (a Person, an Organization, an AdministrativeArea).
type nameLD struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}
