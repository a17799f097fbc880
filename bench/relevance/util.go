package main

import (
	"encoding/json"
	"strings"
)

func jsonString(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// normalizeURL turns Pagefind's result URL into the site path the judgments use:
// "/tin-tuc/x/index.html" and "/tin-tuc/x/" both give "/tin-tuc/x/".
func normalizeURL(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			u = u[i+3+j:]
		}
	}
	u = strings.TrimSuffix(u, "index.html")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
