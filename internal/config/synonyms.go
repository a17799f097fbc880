package config

import (
	"sort"
	"strings"
	"unicode"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/vietnamese"
)

// MaxSynonyms bounds the entries of [search.synonyms].
const MaxSynonyms = 2000

// SynonymSets returns [search.synonyms] as sets of equivalent spellings,
// each key first, in key order: `"UBND" = ["Ủy ban nhân dân"]` gives
// {"UBND", "Ủy ban nhân dân"}. Search adds them to its built-in list.
func (s Search) SynonymSets() [][]string {
	keys := make([]string, 0, len(s.Synonyms))
	for k := range s.Synonyms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, append([]string{k}, s.Synonyms[k]...))
	}
	return out
}

// validateSynonyms checks [search.synonyms]: every entry names a word and
// has at least one other spelling with a word in it. Bad entries are
// reported and dropped.
func validateSynonyms(path, text string, cfg *Config, ds *diag.List) {
	if len(cfg.Search.Synonyms) > MaxSynonyms {
		ds.Errorf(path, keyLine(text, "[search.synonyms]"), 0, "config", "[search.synonyms] có %d mục, tối đa %d: hãy bỏ bớt những mục ít dùng", len(cfg.Search.Synonyms), MaxSynonyms)
		cfg.Search.Synonyms = nil
		return
	}
	clean := map[string][]string{}
	for _, k := range cfg.Search.SynonymSets() {
		key, vals := k[0], k[1:]
		line := synonymLine(text, key)
		if !hasWord(key) {
			ds.Errorf(path, line, 0, "config", "search.synonyms: từ viết tắt %q không có chữ hay số nào; hãy viết ví dụ \"UBND\" = [\"Ủy ban nhân dân\"]", key)
			continue
		}
		var good []string
		for _, v := range vals {
			if !hasWord(v) || strings.Trim(strings.TrimSpace(v), "…") == "" {
				ds.Errorf(path, line, 0, "config", "search.synonyms: cách viết %q của %q không có chữ nào; hãy xóa nó hoặc viết đầy đủ, ví dụ \"Ủy ban nhân dân\"", v, key)
				continue
			}
			good = append(good, vietnamese.NFC(strings.TrimSpace(v)))
		}
		if len(good) == 0 {
			if len(vals) == 0 {
				ds.Errorf(path, line, 0, "config", "search.synonyms: %q cần ít nhất một cách viết khác, ví dụ %q = [\"cách viết đầy đủ\"]", key, key)
			}
			continue
		}
		clean[vietnamese.NFC(strings.TrimSpace(key))] = good
	}
	if len(clean) == 0 {
		clean = nil
	}
	cfg.Search.Synonyms = clean
}

func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// synonymLine is the line of key in [search.synonyms], quoted or bare.
func synonymLine(text, key string) int {
	if n := keyLine(text, `"`+key+`"`); n > 0 {
		return n
	}
	return keyLine(text, key)
}
