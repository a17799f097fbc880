package render

import (
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"text/template/parse"
)

// UI strings written into the templates once.
//
// `{{ T "author" }}` gives the same string on every page: the theme's strings are loaded
// before its templates are parsed and never change. Yet each execution called T through
// reflection (an argument slice, the results, the error check) before html/template's
// escaper, about a dozen times per article page. foldStrings replaces every such command
// whose arguments are all constant strings by the string itself ({{ "Tác giả" }}), before
// html/template adds its escapers, so the escaper sees the same string in the same context
// and every byte stays the same. A key the theme lacks is left alone: the page fails with
// the same message, at the same place, when it is rendered.

// foldStrings rewrites the T commands of every template in set. T must be the theme's own
// (a site's function map may not replace it: LoadTheme checks).
func (t *Theme) foldStrings(set *template.Template) {
	for _, tmpl := range set.Templates() {
		if tmpl.Tree != nil && tmpl.Tree.Root != nil {
			t.foldNode(tmpl.Tree.Root)
		}
	}
}

func (t *Theme) foldNode(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			t.foldNode(c)
		}
	case *parse.ActionNode:
		t.foldPipe(n.Pipe)
	case *parse.IfNode:
		t.foldBranch(&n.BranchNode)
	case *parse.WithNode:
		t.foldBranch(&n.BranchNode)
	case *parse.RangeNode:
		t.foldBranch(&n.BranchNode)
	case *parse.TemplateNode:
		t.foldPipe(n.Pipe)
	}
}

func (t *Theme) foldBranch(b *parse.BranchNode) {
	t.foldPipe(b.Pipe)
	t.foldNode(b.List)
	t.foldNode(b.ElseList)
}

func (t *Theme) foldPipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for i, c := range p.Cmds {
		// Only the first command: a later one is also handed the value before it.
		if i == 0 {
			if s, ok := t.constantT(c); ok {
				c.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: c.Args[0].Position(), Quoted: strconv.Quote(s), Text: s}}
				continue
			}
		}
		for _, a := range c.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				t.foldPipe(sub)
			}
		}
	}
}

// constantT is the string command c gives when it is T with constant string arguments
// only and T has it.
func (t *Theme) constantT(c *parse.CommandNode) (string, bool) {
	if len(c.Args) < 2 {
		return "", false
	}
	if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "T" {
		return "", false
	}
	args := make([]string, 0, len(c.Args)-1)
	for _, a := range c.Args[1:] {
		s, ok := a.(*parse.StringNode)
		if !ok {
			return "", false
		}
		args = append(args, s.Text)
	}
	s, err := t.T(args[0], args[1:]...)
	return s, err == nil
}

// Constant strings printed as escaped text.
//
// After html/template has escaped a template, {{ "Tác giả" }} (a UI string written in by
// foldStrings, or a literal in the theme) is still a reflective call of its escaper on
// every page. escapeAndFold has html/template escape the templates of a set at load, then
// replaces each action that prints a constant string through the HTML text or the
// attribute escaper alone by a text node holding the escaper's result: the bytes each
// page got. The escaping is forced through a template that calls each named template and
// never runs, in a copy of the set: when html/template refuses any of them (a theme that
// escapes badly), the set is kept as it was and fails as before, when a page needs it.

// escapeName names the template that has html/template escape the others.
const escapeName = "\x00escape"

// escapeAndFold returns a copy of set with names escaped and their constant strings
// printed as text, or set itself when html/template cannot escape them so.
func escapeAndFold(set *template.Template, names []string) *template.Template {
	c, err := set.Clone()
	if err != nil {
		return set
	}
	var b strings.Builder
	b.WriteString("{{ if false }}")
	for _, n := range names {
		fmt.Fprintf(&b, "{{ template %s . }}", strconv.Quote(n))
	}
	b.WriteString("{{ end }}")
	if _, err := c.New(escapeName).Parse(b.String()); err != nil {
		return set
	}
	if err := c.ExecuteTemplate(io.Discard, escapeName, nil); err != nil {
		return set
	}
	escaped := map[string]string{}
	for _, tmpl := range c.Templates() {
		if tmpl.Tree != nil {
			foldPrinted(tmpl.Tree.Root, escaped)
		}
	}
	return c
}

// foldPrinted replaces, in list n and the lists within it, every action that prints a
// constant string through _html_template_htmlescaper or _html_template_attrescaper alone.
// For a string, both give html/template's HTML escaping of it (the same table), which
// escapedText computes by html/template itself.
func foldPrinted(n parse.Node, escaped map[string]string) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for i, c := range n.Nodes {
			if a, ok := c.(*parse.ActionNode); ok {
				if s, ok := printedString(a); ok {
					text, done := escaped[s]
					if !done {
						var err error
						if text, err = escapedText(s); err != nil {
							continue
						}
						escaped[s] = text
					}
					n.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: a.Pos, Text: []byte(text)}
					continue
				}
			}
			foldPrinted(c, escaped)
		}
	case *parse.IfNode:
		foldPrintedBranch(&n.BranchNode, escaped)
	case *parse.WithNode:
		foldPrintedBranch(&n.BranchNode, escaped)
	case *parse.RangeNode:
		foldPrintedBranch(&n.BranchNode, escaped)
	}
}

func foldPrintedBranch(b *parse.BranchNode, escaped map[string]string) {
	foldPrinted(b.List, escaped)
	foldPrinted(b.ElseList, escaped)
}

// printedString is the constant string action a prints through one HTML or attribute
// escaper, if that is all it does.
func printedString(a *parse.ActionNode) (string, bool) {
	p := a.Pipe
	if p == nil || len(p.Decl) != 0 || p.IsAssign || len(p.Cmds) != 2 || len(p.Cmds[0].Args) != 1 || len(p.Cmds[1].Args) != 1 {
		return "", false
	}
	s, ok := p.Cmds[0].Args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	esc, ok := p.Cmds[1].Args[0].(*parse.IdentifierNode)
	if !ok || esc.Ident != "_html_template_htmlescaper" && esc.Ident != "_html_template_attrescaper" {
		return "", false
	}
	return s.Text, true
}

// escapedText is s as html/template prints a string in HTML text.
func escapedText(s string) (string, error) {
	var b strings.Builder
	err := template.Must(template.New("").Parse("{{ . }}")).Execute(&b, s)
	return b.String(), err
}
