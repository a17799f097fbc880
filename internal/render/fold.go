package render

import (
	"html/template"
	"strconv"
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
