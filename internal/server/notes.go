package server

import (
	"fmt"
	"strings"

	"github.com/vnportal/portal/internal/search"
)

// searchNotes words what a search did beyond the words typed, for the
// citizen: the merged provinces it included or named, the other spellings
// it searched.
func searchNotes(res search.Result) []string {
	var out []string
	for _, m := range res.Merges {
		on := m.On.Format("02/01/2006")
		switch {
		case len(m.Included) > 0:
			names := make([]string, len(m.Included))
			for i, t := range m.Included {
				names[i] = t.Name
			}
			out = append(out, fmt.Sprintf("%s: gồm cả tin của %s trước %s (nay thuộc %s).", m.Province.Name, strings.Join(names, ", "), on, m.Province.Name))
		case m.Became != nil:
			out = append(out, fmt.Sprintf("%s đã sáp nhập vào %s từ %s: tin trước đó mang tên %s, tin mới hơn xem ở %s.", m.Province.Name, m.Became.Name, on, m.Province.Name, m.Became.Name))
		}
	}
	for _, e := range res.Expanded {
		quoted := make([]string, len(e.Also))
		for i, a := range e.Also {
			quoted[i] = "“" + a + "”"
		}
		out = append(out, fmt.Sprintf("Tìm cả %s cho “%s”.", strings.Join(quoted, ", "), e.Words))
	}
	return out
}
