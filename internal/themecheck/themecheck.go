// Package themecheck holds the automatic checks of the default theme: its tests build the
// sample site and a fixture site with every page type, serve them, and check each page
// type with axe-core in headless Chromium (WCAG 2.2 AA rules, reflow at 320 px and at
// 200 % text size, the skip link) and with the Nu HTML Checker (vnu.jar).
//
// The checkers come from npm (package.json at the repository root; `npm ci` installs
// them into node_modules). Outside CI a missing checker skips its test; in CI it fails.
//
// This file holds the small, browser-independent pieces the tests use: where the
// checkers live, the scripts evaluated in the page, and the decoding and formatting of
// the checkers' reports.
package themecheck

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// Paths of the checkers relative to the repository root, as installed by `npm ci`.
const (
	AxePath = "node_modules/axe-core/axe.min.js"
	VNUPath = "node_modules/vnu-jar/build/dist/vnu.jar"
)

// AxeTags returns the axe-core rule tags the theme must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
func AxeTags() []string {
	return []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}
}

// AxeRunScript returns the expression that runs axe-core on the whole document with
// AxeTags and resolves to its results. axe.min.js must have been evaluated first.
func AxeRunScript() string {
	tags, _ := json.Marshal(AxeTags())
	return "axe.run(document, {runOnly: {type: 'tag', values: " + string(tags) + "}, resultTypes: ['violations']})"
}

// AxeResults is the part of axe.run's result the checks read.
type AxeResults struct {
	Violations []AxeViolation `json:"violations"`
}

// AxeViolation is one failed axe rule with the elements that fail it.
type AxeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []AxeNode `json:"nodes"`
}

// AxeNode is one element failing a rule. Target is a list of CSS selectors (nested
// lists for elements inside shadow roots or frames).
type AxeNode struct {
	Target         []any  `json:"target"`
	FailureSummary string `json:"failureSummary"`
}

// String formats the violation for a test log: rule, help text, then one line per
// failing element with its selector and what is wrong.
func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s", selector(n.Target))
		if s := strings.TrimSpace(n.FailureSummary); s != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(s, "\n", "\n      "))
		}
	}
	return b.String()
}

// selector joins axe's target list ("iframe", "a.x") into one readable path.
func selector(target []any) string {
	parts := make([]string, 0, len(target))
	for _, t := range target {
		switch t := t.(type) {
		case string:
			parts = append(parts, t)
		case []any:
			parts = append(parts, selector(t))
		default:
			parts = append(parts, fmt.Sprint(t))
		}
	}
	return strings.Join(parts, " >>> ")
}

// VNUReport is the Nu HTML Checker's JSON output (--format json).
type VNUReport struct {
	Messages []VNUMessage `json:"messages"`
}

// VNUMessage is one message of the Nu HTML Checker.
type VNUMessage struct {
	// Type is "error", "info" (SubType "warning" for warnings) or "non-document-error"
	// (the file could not be read or checked).
	Type        string `json:"type"`
	SubType     string `json:"subType"`
	URL         string `json:"url"`
	LastLine    int    `json:"lastLine"`
	FirstColumn int    `json:"firstColumn"`
	LastColumn  int    `json:"lastColumn"`
	Message     string `json:"message"`
	Extract     string `json:"extract"`
}

// IsError reports whether the message is an error: invalid HTML or a file the checker
// could not check.
func (m VNUMessage) IsError() bool {
	return m.Type == "error" || m.Type == "non-document-error"
}

// File returns the local path of the checked file ("file:/tmp/x.html" → "/tmp/x.html").
func (m VNUMessage) File() string {
	u := m.URL
	if rest, ok := strings.CutPrefix(u, "file:"); ok {
		u = rest
		for strings.HasPrefix(u, "//") {
			u = u[1:]
		}
	}
	return filepath.FromSlash(u)
}

// String formats the message as "line:col: message" with the extract on a second line.
func (m VNUMessage) String() string {
	s := fmt.Sprintf("%d:%d: %s: %s", m.LastLine, m.FirstColumn, m.Type, m.Message)
	if e := strings.TrimSpace(m.Extract); e != "" {
		s += "\n      " + strings.ReplaceAll(e, "\n", "↵")
	}
	return s
}

// ParseVNU decodes the checker's JSON report.
func ParseVNU(data []byte) (VNUReport, error) {
	var r VNUReport
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("the Nu HTML Checker's output is not its JSON report (%w); is node_modules/vnu-jar current?", err)
	}
	return r, nil
}

// OverflowScript returns an expression that reports horizontal overflow: the page's
// scroll width, the viewport width, and up to five elements sticking out to the right
// (as short selectors), so a failure says where to look.
func OverflowScript() string {
	return `(() => {
  const vw = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (out.length >= 5) break;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1) continue;
    const cs = getComputedStyle(el);
    if (cs.position === 'absolute' && cs.clipPath !== 'none') continue;
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + Array.from(el.classList).join('.');
    out.push(s + ' (right ' + Math.round(r.right) + ')');
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, offenders: out};
})()`
}

// Overflow is the result of OverflowScript.
type Overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Offenders   []string `json:"offenders"`
}

// Overflows reports whether the page scrolls sideways (one pixel of rounding allowed).
func (o Overflow) Overflows() bool { return o.ScrollWidth > o.InnerWidth+1 }

// FocusScript returns an expression describing the focused element: its tag, id, the
// href attribute, and whether it lies inside the viewport (a focused skip link must be
// visible).
func FocusScript() string {
	return `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: el ? 'body' : ''};
  const r = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), id: el.id, className: el.className || '',
    href: el.getAttribute('href') || '', text: (el.textContent || '').trim(),
    visible: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth};
})()`
}

// Focus is the result of FocusScript.
type Focus struct {
	Tag       string `json:"tag"`
	ID        string `json:"id"`
	ClassName string `json:"className"`
	Href      string `json:"href"`
	Text      string `json:"text"`
	Visible   bool   `json:"visible"`
}
