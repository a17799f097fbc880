package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"text/template/parse"
	"time"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
)

// The compiled executor: a layout's escaped parse trees turned into Go closures once.
//
// text/template walks a layout's parse tree on every page: a type switch per node, a
// variable stack searched by name, MethodByName and FieldByName per field of every action
// and a reflective call, with its argument slice, per function, the html/template escapers
// included (70 % of the template time of the prose corpus, BENCHMARKS.md, eighteenth
// session, branch exec22). compileLayout turns each escaped tree, once, at theme load,
// into closures that evaluate the same actions with text/template's rules (exec.go and
// funcs.go of Go 1.26, whose code the closures follow; Copyright The Go Authors, BSD licence
// in LICENSE.go-authors): variables resolved to slots at
// compile time, each field's method or field index found once per node and receiver
// type, the builtins, html/template's escapers (escapers.go), the theme's functions
// of the common signatures (directCall) and the methods the default theme calls
// (directMethod) called directly, other functions and methods through
// reflect.Value.Call; a template call's variables and a call's arguments on one stack
// per execution (xstate.stack).
//
// What it does not compile exactly (a construct or function it lacks, break/continue,
// range over anything but slices, arrays, maps with string or int keys and nothing) it
// refuses at load, and that layout keeps text/template. A page that fails in the
// compiled executor, or reaches a value it does not handle (an int or iterator range, a
// map of other keys), is rendered again from its start by text/template, whose output or
// error is the page's: never a page put together from both.

// executor is one layout (or partial) compiled, with the templates it calls.
type executor struct {
	root *compiledTemplate
}

// compiledTemplate is one named template of a set.
type compiledTemplate struct {
	name  string
	body  stmt
	nvars int // variable slots of one invocation ($ is slot 0)
}

// xstate is one execution's state.
type xstate struct {
	w  io.Writer
	sw io.StringWriter
	// frags records where each partialCached fragment printed as it is lies in a page's
	// buffer (executeLayout); nil in a fragment's own execution (executePartial), whose
	// fragments inside are part of it.
	frags *fragmentSpans
	vars  []reflect.Value // the running template's variables: its frame of stack
	// stack holds the variables of the templates running ({{ template }}, the root's
	// first) and the arguments of the calls being made (callPlan.call), each on top while
	// it runs, so that neither allocates. When a push grows the stack into a new array,
	// the frames below keep using the old one (theirs alone: nothing else writes there).
	stack []reflect.Value
}

type stmt func(s *xstate, dot reflect.Value)

// cmdFn evaluates one command of a pipeline; final is the previous command's value, or
// missingVal.
type cmdFn func(s *xstate, dot, final reflect.Value) reflect.Value

type exprFn func(s *xstate, dot reflect.Value) reflect.Value

// execFailed is the panic of a failed evaluation; execute returns its error.
type execFailed struct{ err error }

// abort ends the evaluation with an error in text/template's words. No one reads it: the
// page is then rendered by text/template, whose error (if any) is the one reported
// (Theme.executeLayout), so these formats are not in the message catalogue.
func abort(format string, args ...any) {
	panic(execFailed{fmt.Errorf(format, args...)})
}

// errUnsupported reports a construct the compiler refuses (the layout keeps text/template).
var errUnsupported = errors.New("not compiled")

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUnsupported, fmt.Sprintf(format, args...))
}

type missingValType struct{}

var (
	missingVal       = reflect.ValueOf(missingValType{})
	missingValRType  = reflect.TypeFor[missingValType]()
	reflectValueType = reflect.TypeFor[reflect.Value]()
	stringType       = reflect.TypeFor[string]()
)

func isMissing(v reflect.Value) bool { return v.IsValid() && v.Type() == missingValRType }

// execute runs the executor on data into w. Any failure (the template's own error, a
// function's, a panic, a value it does not handle) comes back as an error, after which
// the caller renders the page with text/template.
func (e *executor) execute(w io.Writer, data any) (err error) {
	return e.executeSpans(w, data, nil)
}

// executeSpans is execute recording in frags where the output of each action
// {{ partialCached … }} printed in HTML text lies in w, which must be frags.buf.
func (e *executor) executeSpans(w io.Writer, data any, frags *fragmentSpans) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if f, ok := r.(execFailed); ok {
				err = f.err
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	sw, ok := w.(io.StringWriter)
	if !ok {
		return errors.New("writer without WriteString")
	}
	dot := reflect.ValueOf(data)
	stack := make([]reflect.Value, e.root.nvars, e.root.nvars+32)
	s := &xstate{w: w, sw: sw, frags: frags, vars: stack[:e.root.nvars:e.root.nvars], stack: stack}
	s.vars[0] = dot
	e.root.body(s, dot)
	return nil
}

// compiler compiles the templates of one escaped set.
type compiler struct {
	set *template.Template
	// raw is the set before html/template escaped it, for the templates it derived
	// (derivedTemplate); derived is raw with their stand-ins, escaped, once needed.
	raw, derived *template.Template
	funcs        map[string]reflect.Value // the theme's FuncMap
	refs         *escaperRefs
	done         map[string]*compiledTemplate
	// scope of the template being compiled: variable names to slots, innermost last.
	scope []scopeVar
	nvars int
}

type scopeVar struct {
	name string
	slot int
}

// compileLayout compiles the template name of the escaped set; errUnsupported when it,
// or a template it calls, has something the compiled executor does not do exactly.
func compileLayout(set, raw *template.Template, name string, funcs template.FuncMap, refs *escaperRefs) (*executor, error) {
	c := &compiler{set: set, raw: raw, funcs: map[string]reflect.Value{}, refs: refs, done: map[string]*compiledTemplate{}}
	for k, f := range funcs {
		v := reflect.ValueOf(f)
		if v.Kind() != reflect.Func {
			return nil, unsupported("function %s", k)
		}
		c.funcs[k] = v
	}
	root, err := c.template(name)
	if err != nil {
		return nil, err
	}
	return &executor{root: root}, nil
}

func (c *compiler) template(name string) (*compiledTemplate, error) {
	if t, ok := c.done[name]; ok {
		return t, nil
	}
	var root *parse.ListNode
	if base, ok := strings.CutSuffix(name, titleContext); ok {
		var err error
		if root, err = c.derivedTemplate(base); err != nil {
			return nil, err
		}
	} else {
		ht := c.set.Lookup(name)
		if ht == nil || ht.Tree == nil || ht.Tree.Root == nil {
			return nil, unsupported("template %q", name)
		}
		root = ht.Tree.Root
	}
	t := &compiledTemplate{name: name}
	c.done[name] = t
	outerScope, outerN := c.scope, c.nvars
	c.scope, c.nvars = []scopeVar{{"$", 0}}, 1
	body, err := c.list(root)
	t.nvars = c.nvars
	c.scope, c.nvars = outerScope, outerN
	if err != nil {
		return nil, err
	}
	t.body = body
	return t, nil
}

// titleContext ends the name of the copy html/template makes of a template called inside
// <title> (baseof's {{ block "title" . }}) and escapes for that element's text.
const titleContext = "$htmltemplate_stateRCDATA_elementTitle"

// derivedTemplate returns the escaped nodes of the copy of template base that
// html/template made for <title>. html/template keeps such copies out of reach (they are
// not in the set's Templates or Lookup), so a stand-in holding "<title>", base's nodes and
// "</title>" is escaped in a copy of the unescaped set: its nodes between the two texts
// are escaped in the same context, as html/template escapes its own copy.
func (c *compiler) derivedTemplate(base string) (*parse.ListNode, error) {
	const standIn = "\x00title"
	if c.derived == nil {
		if c.raw == nil {
			return nil, unsupported("no unescaped set for %s", base)
		}
		d, err := c.raw.Clone()
		if err != nil {
			return nil, unsupported("clone: %v", err)
		}
		c.derived = d
	}
	name := standIn + " " + base
	if c.derived.Lookup(name) == nil {
		b := c.derived.Lookup(base)
		if b == nil || b.Tree == nil || b.Tree.Root == nil {
			return nil, unsupported("template %q", base)
		}
		root := b.Tree.Root.CopyList()
		open := &parse.TextNode{NodeType: parse.NodeText, Pos: root.Pos, Text: []byte("<title>")}
		end := &parse.TextNode{NodeType: parse.NodeText, Pos: root.Pos, Text: []byte("</title>")}
		root.Nodes = append(append([]parse.Node{open}, root.Nodes...), end)
		tree := &parse.Tree{Name: name, ParseName: b.Tree.ParseName, Root: root}
		if _, err := c.derived.AddParseTree(name, tree); err != nil {
			return nil, unsupported("stand-in: %v", err)
		}
		var force strings.Builder
		fmt.Fprintf(&force, "{{ if false }}{{ template %q . }}{{ end }}", name)
		if _, err := c.derived.New(escapeName + name).Parse(force.String()); err != nil {
			return nil, unsupported("stand-in: %v", err)
		}
		if err := c.derived.ExecuteTemplate(io.Discard, escapeName+name, nil); err != nil {
			return nil, unsupported("stand-in: %v", err)
		}
	}
	root := c.derived.Lookup(name).Tree.Root
	n := len(root.Nodes)
	if n < 2 {
		return nil, unsupported("stand-in of %s", base)
	}
	first, ok1 := root.Nodes[0].(*parse.TextNode)
	last, ok2 := root.Nodes[n-1].(*parse.TextNode)
	if !ok1 || !ok2 || string(first.Text) != "<title>" || string(last.Text) != "</title>" {
		return nil, unsupported("stand-in of %s", base)
	}
	return &parse.ListNode{NodeType: parse.NodeList, Pos: root.Pos, Nodes: root.Nodes[1 : n-1]}, nil
}

func (c *compiler) push(name string) int {
	slot := c.nvars
	c.nvars++
	c.scope = append(c.scope, scopeVar{name, slot})
	return slot
}

func (c *compiler) lookup(name string) (int, bool) {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return c.scope[i].slot, true
		}
	}
	return 0, false
}

func (c *compiler) list(l *parse.ListNode) (stmt, error) {
	if l == nil {
		return func(*xstate, reflect.Value) {}, nil
	}
	var stmts []stmt
	var text []byte // consecutive text nodes written at once
	flush := func() {
		if len(text) > 0 {
			b := slices.Clone(text)
			stmts = append(stmts, func(s *xstate, _ reflect.Value) {
				if _, err := s.w.Write(b); err != nil {
					panic(execFailed{err})
				}
			})
			text = text[:0]
		}
	}
	for _, n := range l.Nodes {
		if t, ok := n.(*parse.TextNode); ok {
			text = append(text, t.Text...)
			continue
		}
		if _, ok := n.(*parse.CommentNode); ok {
			continue
		}
		flush()
		st, err := c.node(n)
		if err != nil {
			return nil, err
		}
		stmts = append(stmts, st)
	}
	flush()
	switch len(stmts) {
	case 0:
		return func(*xstate, reflect.Value) {}, nil
	case 1:
		return stmts[0], nil
	}
	return func(s *xstate, dot reflect.Value) {
		for _, st := range stmts {
			st(s, dot)
		}
	}, nil
}

func (c *compiler) node(n parse.Node) (stmt, error) {
	switch n := n.(type) {
	case *parse.ActionNode:
		return c.action(n)
	case *parse.IfNode:
		return c.ifOrWith(n.Pipe, n.List, n.ElseList, false)
	case *parse.WithNode:
		return c.ifOrWith(n.Pipe, n.List, n.ElseList, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.templateNode(n)
	case *parse.ListNode:
		return c.list(n)
	}
	return nil, unsupported("node %s", n)
}

func (c *compiler) action(n *parse.ActionNode) (stmt, error) {
	// An action ending in escapers: the value before them, then the escapers on it.
	cmds := n.Pipe.Cmds
	var escs []escaper
	var sescs []func(string) string // each escaper of a string, when it has one
	var passes reflect.Type         // the typed string the first escaper prints as it is
	for len(cmds) > 1 {
		last := cmds[len(cmds)-1]
		id, ok := last.Args[0].(*parse.IdentifierNode)
		if !ok || len(last.Args) != 1 || !strings.HasPrefix(id.Ident, "_html_template_") {
			break
		}
		e, ok := c.refs.escaperFor(id.Ident)
		if !ok {
			return nil, unsupported("escaper %s", id.Ident)
		}
		escs = append(escs, e)
		sescs = append(sescs, stringEscaperFor(id.Ident))
		passes = typedEscaperFor(id.Ident) // the last one set is the first escaper's
		cmds = cmds[:len(cmds)-1]
	}
	slices.Reverse(escs)
	slices.Reverse(sescs)
	if len(escs) > 0 && len(n.Pipe.Decl) == 0 {
		head, err := c.pipeCmds(cmds, n.Pipe)
		if err != nil {
			return nil, err
		}
		// {{ partialCached … }} alone in HTML text: its fragment is printed as it is, and
		// the page's execution records where (fragmentSpans).
		fragment := len(escs) == 1 && passes == htmlType && len(cmds) == 1 && isIdent(cmds[0], "partialCached")
		return func(s *xstate, dot reflect.Value) {
			v := head(s, dot)
			var str string
			if sescs[0] != nil && v.IsValid() && v.Type() == stringType {
				str = sescs[0](v.String()) // no string boxed: Interface copies a field's
			} else if passes != nil && v.IsValid() && v.Type() == passes {
				str = v.String() // template.HTML in text, template.JS in a script
				if fragment && s.frags != nil {
					s.frags.add(len(str))
				}
			} else {
				var arg any
				if v.IsValid() {
					arg = v.Interface()
				}
				str = escs[0](arg)
			}
			for i, e := range escs[1:] {
				if se := sescs[i+1]; se != nil {
					str = se(str)
				} else {
					str = e(str)
				}
			}
			if _, err := s.sw.WriteString(str); err != nil {
				panic(execFailed{err})
			}
		}, nil
	}
	pipe, err := c.pipe(n.Pipe)
	if err != nil {
		return nil, err
	}
	if len(n.Pipe.Decl) > 0 {
		return func(s *xstate, dot reflect.Value) { pipe(s, dot) }, nil
	}
	return func(s *xstate, dot reflect.Value) { s.printValue(pipe(s, dot)) }, nil
}

func (s *xstate) printValue(v reflect.Value) {
	if v.IsValid() && v.Type() == stringType {
		if _, err := s.sw.WriteString(v.String()); err != nil {
			panic(execFailed{err})
		}
		return
	}
	iface, ok := printableValue(v)
	if !ok {
		abort("can't print value of type %s", v.Type())
	}
	if _, err := fmt.Fprint(s.w, iface); err != nil {
		panic(execFailed{err})
	}
}

// printableValue is text/template's.
func printableValue(v reflect.Value) (any, bool) {
	if v.Kind() == reflect.Pointer {
		v, _ = indirect(v)
	}
	if !v.IsValid() {
		return "<no value>", true
	}
	if !v.Type().Implements(errorType) && !v.Type().Implements(fmtStringerType) {
		if v.CanAddr() && (reflect.PointerTo(v.Type()).Implements(errorType) || reflect.PointerTo(v.Type()).Implements(fmtStringerType)) {
			v = v.Addr()
		} else {
			switch v.Kind() {
			case reflect.Chan, reflect.Func:
				return nil, false
			}
		}
	}
	return v.Interface(), true
}

func (c *compiler) ifOrWith(p *parse.PipeNode, list, elseList *parse.ListNode, with bool) (stmt, error) {
	mark := len(c.scope)
	pipe, err := c.pipe(p)
	if err != nil {
		return nil, err
	}
	inner := len(c.scope)
	body, err := c.list(list)
	if err != nil {
		return nil, err
	}
	c.scope = c.scope[:inner]
	var els stmt
	if elseList != nil {
		if els, err = c.list(elseList); err != nil {
			return nil, err
		}
	}
	c.scope = c.scope[:mark]
	return func(s *xstate, dot reflect.Value) {
		val := pipe(s, dot)
		truth, ok := isTrue(indirectInterface(val))
		if !ok {
			abort("if/with can't use %v", val)
		}
		if truth {
			if with {
				body(s, val)
			} else {
				body(s, dot)
			}
		} else if els != nil {
			els(s, dot)
		}
	}, nil
}

func (c *compiler) rangeNode(r *parse.RangeNode) (stmt, error) {
	if r.Pipe.IsAssign || len(r.Pipe.Decl) > 2 {
		return nil, unsupported("range assignment")
	}
	mark := len(c.scope)
	pipe, err := c.pipe(r.Pipe)
	if err != nil {
		return nil, err
	}
	// The pipeline pushed its variables: with two, index then element.
	elemSlot, indexSlot := -1, -1
	switch len(r.Pipe.Decl) {
	case 1:
		elemSlot = c.scope[len(c.scope)-1].slot
	case 2:
		indexSlot = c.scope[len(c.scope)-2].slot
		elemSlot = c.scope[len(c.scope)-1].slot
	}
	inner := len(c.scope)
	body, err := c.list(r.List)
	if err != nil {
		return nil, err
	}
	c.scope = c.scope[:inner]
	var els stmt
	if r.ElseList != nil {
		if els, err = c.list(r.ElseList); err != nil {
			return nil, err
		}
	}
	c.scope = c.scope[:mark]
	one := func(s *xstate, index, elem reflect.Value) {
		if elemSlot >= 0 {
			s.vars[elemSlot] = elem
		}
		if indexSlot >= 0 {
			s.vars[indexSlot] = index
		}
		body(s, elem)
	}
	return func(s *xstate, dot reflect.Value) {
		val, _ := indirect(pipe(s, dot))
		switch val.Kind() {
		case reflect.Array, reflect.Slice:
			if n := val.Len(); n > 0 {
				for i := 0; i < n; i++ {
					one(s, reflect.ValueOf(i), val.Index(i))
				}
				return
			}
		case reflect.Map:
			if val.Len() > 0 {
				keys := val.MapKeys()
				switch val.Type().Key().Kind() {
				case reflect.String:
					slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
				case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
					slices.SortFunc(keys, func(a, b reflect.Value) int {
						x, y := a.Int(), b.Int()
						switch {
						case x < y:
							return -1
						case x > y:
							return 1
						}
						return 0
					})
				default:
					abort("range over a map of %s keys: left to text/template", val.Type().Key())
				}
				for _, k := range keys {
					one(s, k, val.MapIndex(k))
				}
				return
			}
		case reflect.Invalid:
		default:
			abort("range over %s: left to text/template", val.Type())
		}
		if els != nil {
			els(s, dot)
		}
	}, nil
}

func (c *compiler) templateNode(n *parse.TemplateNode) (stmt, error) {
	var pipe exprFn
	if n.Pipe != nil {
		var err error
		if pipe, err = c.pipe(n.Pipe); err != nil {
			return nil, err
		}
	}
	t, err := c.template(n.Name)
	if err != nil {
		return nil, err
	}
	return func(s *xstate, dot reflect.Value) {
		if pipe != nil {
			dot = pipe(s, dot)
		} else {
			dot = reflect.Value{}
		}
		if t.body == nil {
			abort("template %q was not compiled", t.name) // its compilation failed: so did this layout's
		}
		outer, base := s.vars, len(s.stack)
		s.stack = slices.Grow(s.stack, t.nvars)[:base+t.nvars]
		s.vars = s.stack[base : base+t.nvars : base+t.nvars]
		clear(s.vars)
		s.vars[0] = dot
		t.body(s, dot)
		clear(s.vars) // no reference kept to the frame's values
		s.vars, s.stack = outer, s.stack[:base]
	}, nil
}

// pipe compiles a pipeline with its variable declarations.
func (c *compiler) pipe(p *parse.PipeNode) (exprFn, error) {
	if p == nil {
		return func(*xstate, reflect.Value) reflect.Value { return reflect.Value{} }, nil
	}
	eval, err := c.pipeCmds(p.Cmds, p)
	if err != nil {
		return nil, err
	}
	if len(p.Decl) == 0 {
		return eval, nil
	}
	slots := make([]int, len(p.Decl))
	for i, d := range p.Decl {
		if len(d.Ident) != 1 {
			return nil, unsupported("declaration %s", d)
		}
		if p.IsAssign {
			slot, ok := c.lookup(d.Ident[0])
			if !ok {
				return nil, unsupported("variable %s", d.Ident[0])
			}
			slots[i] = slot
		} else {
			slots[i] = c.push(d.Ident[0])
		}
	}
	return func(s *xstate, dot reflect.Value) reflect.Value {
		v := eval(s, dot)
		for _, slot := range slots {
			s.vars[slot] = v
		}
		return v
	}, nil
}

// pipeCmds compiles the commands of a pipeline (the declarations apart).
func (c *compiler) pipeCmds(cmds []*parse.CommandNode, p *parse.PipeNode) (exprFn, error) {
	if len(cmds) == 0 {
		return nil, unsupported("empty pipeline")
	}
	fns := make([]cmdFn, len(cmds))
	for i, cmd := range cmds {
		f, err := c.command(cmd, i > 0)
		if err != nil {
			return nil, err
		}
		fns[i] = f
	}
	return func(s *xstate, dot reflect.Value) reflect.Value {
		value := missingVal
		for _, f := range fns {
			value = f(s, dot, value)
			if value.Kind() == reflect.Interface && value.Type().NumMethod() == 0 {
				value = value.Elem()
			}
		}
		return value
	}, nil
}

func (c *compiler) command(cmd *parse.CommandNode, hasFinal bool) (cmdFn, error) {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fieldChain(nil, n.Ident, cmd.Args, hasFinal)
	case *parse.ChainNode:
		if n.Node.Type() == parse.NodeNil || len(n.Field) == 0 {
			return nil, unsupported("chain %s", n)
		}
		recv, err := c.rawArg(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fieldChain(recv, n.Field, cmd.Args, hasFinal)
	case *parse.IdentifierNode:
		return c.function(n.Ident, cmd.Args, hasFinal)
	case *parse.VariableNode:
		slot, ok := c.lookup(n.Ident[0])
		if !ok {
			return nil, unsupported("variable %s", n.Ident[0])
		}
		if len(n.Ident) == 1 {
			if len(cmd.Args) > 1 || hasFinal {
				return nil, unsupported("argument to a variable")
			}
			return func(s *xstate, _, _ reflect.Value) reflect.Value { return s.vars[slot] }, nil
		}
		recv := func(s *xstate, _ reflect.Value) reflect.Value { return s.vars[slot] }
		return c.fieldChain(recv, n.Ident[1:], cmd.Args, hasFinal)
	}
	if len(cmd.Args) > 1 || hasFinal {
		return nil, unsupported("argument to a non-function %s", cmd.Args[0])
	}
	switch n := cmd.Args[0].(type) {
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return nil, unsupported("declaration in parentheses")
		}
		p, err := c.pipe(n)
		if err != nil {
			return nil, err
		}
		return func(s *xstate, dot, _ reflect.Value) reflect.Value { return p(s, dot) }, nil
	case *parse.DotNode:
		return func(_ *xstate, dot, _ reflect.Value) reflect.Value { return dot }, nil
	case *parse.BoolNode, *parse.NumberNode, *parse.StringNode:
		v, err := idealConstant(n)
		if err != nil {
			return nil, err
		}
		return func(*xstate, reflect.Value, reflect.Value) reflect.Value { return v }, nil
	}
	return nil, unsupported("command %s", cmd)
}

// idealConstant is text/template's value of a constant in a place without a type.
func idealConstant(n parse.Node) (reflect.Value, error) {
	switch n := n.(type) {
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), nil
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), nil
	case *parse.NumberNode:
		switch {
		case n.IsComplex:
			return reflect.ValueOf(n.Complex128), nil
		case n.IsFloat && !isHexInt(n.Text) && !isRuneInt(n.Text) && strings.ContainsAny(n.Text, ".eEpP"):
			return reflect.ValueOf(n.Float64), nil
		case n.IsInt:
			i := int(n.Int64)
			if int64(i) != n.Int64 {
				return reflect.Value{}, unsupported("%s overflows int", n.Text)
			}
			return reflect.ValueOf(i), nil
		}
	}
	return reflect.Value{}, unsupported("constant %s", n)
}

func isRuneInt(s string) bool { return len(s) > 0 && s[0] == '\'' }

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// rawArg compiles an argument evaluated without a type to meet (evalArg with a nil
// type, evalEmptyInterface): constants as ideal constants.
func (c *compiler) rawArg(n parse.Node) (exprFn, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return func(_ *xstate, dot reflect.Value) reflect.Value { return dot }, nil
	case *parse.FieldNode, *parse.VariableNode, *parse.PipeNode, *parse.IdentifierNode, *parse.ChainNode:
		if p, ok := n.(*parse.PipeNode); ok && len(p.Decl) > 0 {
			return nil, unsupported("declaration in parentheses")
		}
		cmd, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}}, false)
		if err != nil {
			return nil, err
		}
		return func(s *xstate, dot reflect.Value) reflect.Value { return cmd(s, dot, missingVal) }, nil
	case *parse.BoolNode, *parse.NumberNode, *parse.StringNode:
		v, err := idealConstant(n)
		if err != nil {
			return nil, err
		}
		return func(*xstate, reflect.Value) reflect.Value { return v }, nil
	}
	return nil, unsupported("argument %s", n)
}

// arg is a compiled argument of a call, evaluated for the parameter's type at run time
// (a method's type is known only then).
type arg struct {
	raw   exprFn     // anything but a constant: evaluated, then validateType
	node  parse.Node // a constant: converted to the parameter's type
	ideal reflect.Value
	conv  atomic.Pointer[convHit]
}

type convHit struct {
	typ reflect.Type
	val reflect.Value
}

func (c *compiler) args(nodes []parse.Node) ([]*arg, error) {
	out := make([]*arg, len(nodes))
	for i, n := range nodes {
		switch n.(type) {
		case *parse.BoolNode, *parse.NumberNode, *parse.StringNode:
			a := &arg{node: n}
			if v, err := idealConstant(n); err == nil {
				a.ideal = v
			}
			out[i] = a
		default:
			raw, err := c.rawArg(n)
			if err != nil {
				return nil, err
			}
			out[i] = &arg{raw: raw}
		}
	}
	return out, nil
}

// eval is text/template's evalArg.
func (a *arg) eval(s *xstate, dot reflect.Value, typ reflect.Type) reflect.Value {
	if a.raw != nil {
		return validateType(a.raw(s, dot), typ)
	}
	if h := a.conv.Load(); h != nil && h.typ == typ {
		return h.val
	}
	v := constantFor(a, typ)
	a.conv.Store(&convHit{typ, v})
	return v
}

func constantFor(a *arg, typ reflect.Type) reflect.Value {
	switch typ.Kind() {
	case reflect.Interface:
		if typ.NumMethod() == 0 && a.ideal.IsValid() {
			return a.ideal
		}
	case reflect.Struct:
		if typ == reflectValueType && a.ideal.IsValid() {
			return reflect.ValueOf(a.ideal)
		}
	case reflect.Bool:
		if n, ok := a.node.(*parse.BoolNode); ok {
			v := reflect.New(typ).Elem()
			v.SetBool(n.True)
			return v
		}
	case reflect.String:
		if n, ok := a.node.(*parse.StringNode); ok {
			v := reflect.New(typ).Elem()
			v.SetString(n.Text)
			return v
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n, ok := a.node.(*parse.NumberNode); ok && n.IsInt {
			v := reflect.New(typ).Elem()
			v.SetInt(n.Int64)
			return v
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if n, ok := a.node.(*parse.NumberNode); ok && n.IsUint {
			v := reflect.New(typ).Elem()
			v.SetUint(n.Uint64)
			return v
		}
	case reflect.Float32, reflect.Float64:
		if n, ok := a.node.(*parse.NumberNode); ok && n.IsFloat {
			v := reflect.New(typ).Elem()
			v.SetFloat(n.Float64)
			return v
		}
	}
	abort("can't handle %s for arg of type %s", a.node, typ)
	panic("not reached")
}

func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflectValueType
	}
	return false
}

// validateType is text/template's.
func validateType(value reflect.Value, typ reflect.Type) reflect.Value {
	if !value.IsValid() {
		if typ == nil {
			return reflect.ValueOf(nil)
		}
		if canBeNil(typ) {
			return reflect.Zero(typ)
		}
		abort("invalid value; expected %s", typ)
	}
	if typ == reflectValueType && value.Type() != typ {
		return reflect.ValueOf(value)
	}
	if typ != nil && !value.Type().AssignableTo(typ) {
		if value.Kind() == reflect.Interface && !value.IsNil() {
			value = value.Elem()
			if value.Type().AssignableTo(typ) {
				return value
			}
		}
		switch {
		case value.Kind() == reflect.Pointer && value.Type().Elem().AssignableTo(typ):
			value = value.Elem()
			if !value.IsValid() {
				abort("dereference of nil pointer of type %s", typ)
			}
		case reflect.PointerTo(value.Type()).AssignableTo(typ) && value.CanAddr():
			value = value.Addr()
		default:
			abort("wrong type for value; expected %s; got %s", typ, value.Type())
		}
	}
	return value
}

// indirect and indirectInterface are text/template's.
func indirect(v reflect.Value) (rv reflect.Value, isNil bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

func isTrue(val reflect.Value) (truth, ok bool) {
	if !val.IsValid() {
		return false, true
	}
	switch val.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		truth = val.Len() > 0
	case reflect.Bool:
		truth = val.Bool()
	case reflect.Complex64, reflect.Complex128:
		truth = val.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		truth = !val.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		truth = val.Int() != 0
	case reflect.Float32, reflect.Float64:
		truth = val.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		truth = val.Uint() != 0
	case reflect.Struct:
		truth = true
	default:
		return
	}
	return truth, true
}

func truth(arg reflect.Value) bool {
	t, _ := isTrue(indirectInterface(arg))
	return t
}

// fieldChain compiles .X.Y.Z (on dot, or on recv's value) with the command's arguments
// for the last one.
func (c *compiler) fieldChain(recv exprFn, idents []string, cmdArgs []parse.Node, hasFinal bool) (cmdFn, error) {
	args, err := c.args(cmdArgs[1:])
	if err != nil {
		return nil, err
	}
	steps := make([]*fieldStep, len(idents))
	for i, id := range idents {
		steps[i] = &fieldStep{name: id}
	}
	steps[len(steps)-1].args = args
	last := len(steps) - 1
	return func(s *xstate, dot, final reflect.Value) reflect.Value {
		receiver := dot
		if recv != nil {
			receiver = validateType(recv(s, dot), nil)
		}
		for _, st := range steps[:last] {
			receiver = st.eval(s, dot, receiver, missingVal)
		}
		return steps[last].eval(s, dot, receiver, final)
	}, nil
}

// fieldStep is one name of a field chain, with what it was on the last receiver type.
type fieldStep struct {
	name string
	args []*arg // of the chain's last name
	hit  atomic.Pointer[fieldHit]
}

type fieldHit struct {
	ptrType, recvType reflect.Type
	method            int   // index in ptrType's methods, -1 when it is not a method
	field             []int // the struct field's index
	exported, found   bool
	fn                *callPlan // the method's call
	// direct: fn.invoke is a directMethod, given the receiver (ptr) instead of the
	// method value.
	direct bool
}

func (f *fieldStep) lookup(ptrType, recvType reflect.Type, recvKind reflect.Kind) *fieldHit {
	if h := f.hit.Load(); h != nil && h.ptrType == ptrType && h.recvType == recvType {
		return h
	}
	h := &fieldHit{ptrType: ptrType, recvType: recvType, method: -1}
	if m, ok := ptrType.MethodByName(f.name); ok {
		h.method = m.Index
		var mt reflect.Type
		if ptrType.Kind() == reflect.Interface {
			mt = m.Type
		} else {
			mt = m.Func.Type() // with the receiver first
			in := make([]reflect.Type, mt.NumIn()-1)
			for i := range in {
				in[i] = mt.In(i + 1)
			}
			out := make([]reflect.Type, mt.NumOut())
			for i := range out {
				out[i] = mt.Out(i)
			}
			mt = reflect.FuncOf(in, out, mt.IsVariadic())
		}
		h.fn = newCallPlan(f.name, mt, f.args)
		if ptrType.Kind() != reflect.Interface {
			if direct := directMethod(m.Func.Interface()); direct != nil {
				h.fn.invoke, h.direct = direct, true
			}
		}
	} else if recvKind == reflect.Struct {
		if sf, ok := recvType.FieldByName(f.name); ok {
			h.field, h.exported, h.found = sf.Index, sf.IsExported(), true
		}
	}
	f.hit.Store(h)
	return h
}

// eval is text/template's evalField.
func (f *fieldStep) eval(s *xstate, dot, receiver, final reflect.Value) reflect.Value {
	if !receiver.IsValid() {
		return reflect.Value{}
	}
	typ := receiver.Type()
	receiver, isNil := indirect(receiver)
	if receiver.Kind() == reflect.Interface && isNil {
		abort("nil pointer evaluating %s.%s", typ, f.name)
	}
	ptr := receiver
	if ptr.Kind() != reflect.Interface && ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	h := f.lookup(ptr.Type(), receiver.Type(), receiver.Kind())
	if h.method >= 0 {
		if h.direct {
			return h.fn.call(s, dot, ptr, f.args, final)
		}
		return h.fn.call(s, dot, ptr.Method(h.method), f.args, final)
	}
	hasArgs := len(f.args) > 0 || !isMissing(final)
	switch receiver.Kind() {
	case reflect.Struct:
		if h.found {
			if !h.exported {
				abort("%s is an unexported field of struct type %s", f.name, typ)
			}
			field, err := receiver.FieldByIndexErr(h.field)
			if err != nil {
				abort("%v", err)
			}
			if hasArgs {
				abort("%s has arguments but cannot be invoked as function", f.name)
			}
			return field
		}
	case reflect.Map:
		nameVal := reflect.ValueOf(f.name)
		if nameVal.Type().AssignableTo(receiver.Type().Key()) {
			if hasArgs {
				abort("%s is not a method but has arguments", f.name)
			}
			return receiver.MapIndex(nameVal)
		}
	case reflect.Pointer:
		if isNil {
			abort("nil pointer evaluating %s.%s", typ, f.name)
		}
	}
	abort("can't evaluate field %s in type %s", f.name, typ)
	panic("not reached")
}

// callPlan is a function's or method's type and argument checks, made once.
type callPlan struct {
	name     string
	typ      reflect.Type
	numFixed int
	// invoke calls the function with its arguments: reflectCall, or for a function of a
	// common signature known at compile time a direct call (directCall).
	invoke func(fun reflect.Value, argv []reflect.Value) (reflect.Value, error)
}

func newCallPlan(name string, typ reflect.Type, args []*arg) *callPlan {
	p := &callPlan{name: name, typ: typ, numFixed: len(args), invoke: reflectCall}
	if typ.IsVariadic() {
		p.numFixed = typ.NumIn() - 1
	}
	return p
}

// call is text/template's evalCall for a function that is not a builtin.
func (p *callPlan) call(s *xstate, dot, fun reflect.Value, args []*arg, final reflect.Value) reflect.Value {
	typ := p.typ
	numIn := len(args)
	if !isMissing(final) {
		numIn++
	}
	if typ.IsVariadic() {
		if numIn < p.numFixed {
			abort("wrong number of args for %s: want at least %d got %d", p.name, typ.NumIn()-1, len(args))
		}
	} else if numIn != typ.NumIn() {
		abort("wrong number of args for %s: want %d got %d", p.name, typ.NumIn(), numIn)
	}
	switch n := typ.NumOut(); {
	case n == 1:
	case n == 2 && typ.Out(1) == errorType:
	default:
		abort("function %s: bad results", p.name)
	}
	base := len(s.stack)
	s.stack = slices.Grow(s.stack, numIn)[:base+numIn]
	// A call made while the arguments are evaluated pushes its own above them (xstate).
	argv := s.stack[base : base+numIn : base+numIn]
	i := 0
	for ; i < p.numFixed && i < len(args); i++ {
		argv[i] = args[i].eval(s, dot, typ.In(i))
	}
	if typ.IsVariadic() {
		argType := typ.In(typ.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			argv[i] = args[i].eval(s, dot, argType)
		}
	}
	if !isMissing(final) {
		t := typ.In(typ.NumIn() - 1)
		if typ.IsVariadic() {
			if numIn-1 < p.numFixed {
				t = typ.In(numIn - 1)
			} else {
				t = t.Elem()
			}
		}
		argv[i] = validateType(final, t)
	}
	v, err := p.invoke(fun, argv)
	clear(argv) // no reference kept to what the arguments were
	s.stack = s.stack[:base]
	if err != nil {
		panic(execFailed{fmt.Errorf("error calling %s: %w", p.name, err)})
	}
	return v
}

// reflectCall calls fun with reflect.Value.Call: its result, unwrapped when it is a
// reflect.Value, and its error.
func reflectCall(fun reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	ret := fun.Call(argv)
	if len(ret) == 2 && !ret[1].IsNil() {
		return ret[0], ret[1].Interface().(error)
	}
	v := ret[0]
	if v.Type() == reflectValueType {
		v = v.Interface().(reflect.Value)
	}
	return v, nil
}

// directCall returns, for a function of one of the signatures the theme's functions
// mostly have, a call of it without reflect.Value.Call: its arguments are the ones call
// made (validateType made each assignable to its parameter, so of the parameter's type
// for these), its result the value of the declared result type, as Call gives it.
func directCall(f any) func(_ reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	switch f := f.(type) {
	case func(string) string:
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(a[0].String())), nil
		}
	case func(string) bool:
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(a[0].String())), nil
		}
	case func(string) (string, error):
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			r, err := f(a[0].String())
			return reflect.ValueOf(r), err
		}
	case func(time.Time) string:
		return func(fun reflect.Value, a []reflect.Value) (reflect.Value, error) {
			t, ok := reflect.TypeAssert[time.Time](a[0])
			if !ok {
				return reflectCall(fun, a)
			}
			return reflect.ValueOf(f(t)), nil
		}
	case func(*site.Page) (string, error):
		return pageCall(f)
	case func(*site.Page) (template.JS, error):
		return pageCall(f)
	case func(*site.Page) ([]MenuItem, error):
		return pageCall(f)
	case func(int, int) int:
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(int(a[0].Int()), int(a[1].Int()))), nil
		}
	case func(...any) (map[string]any, error):
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			args := make([]any, len(a))
			for i, v := range a {
				args[i] = v.Interface()
			}
			m, err := f(args...)
			return reflect.ValueOf(m), err
		}
	case func(string, any, ...any) (template.HTML, error):
		return func(_ reflect.Value, a []reflect.Value) (reflect.Value, error) {
			rest := make([]any, len(a)-2)
			for i, v := range a[2:] {
				rest[i] = v.Interface()
			}
			h, err := f(a[0].String(), a[1].Interface(), rest...)
			return reflect.ValueOf(h), err
		}
	}
	return nil
}

// pageCall is directCall's for a function of a page: the argument, of a type assignable
// to *site.Page, is one when it is *site.Page itself (reflectCall otherwise).
func pageCall[T any](f func(*site.Page) (T, error)) func(fun reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	return func(fun reflect.Value, a []reflect.Value) (reflect.Value, error) {
		p, ok := reflect.TypeAssert[*site.Page](a[0])
		if !ok {
			return reflectCall(fun, a)
		}
		r, err := f(p)
		return reflect.ValueOf(r), err
	}
}

// directMethod returns, for the method expression f (the receiver its first parameter)
// of one of the methods the default theme calls, a call of it without reflect.Value.Call:
// invoked with the receiver (of f's first parameter's type: the pointer or value the
// method was looked up on) instead of a method value. Its result is of the declared
// result type, none of them an interface, as reflect.Value.Call gives it.
func directMethod(f any) func(recv reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	switch f := f.(type) {
	case func(*site.Article) (template.HTML, error): // Content
		return func(recv reflect.Value, _ []reflect.Value) (reflect.Value, error) {
			r, err := f(receiverOf[*site.Article](recv))
			return reflect.ValueOf(r), err
		}
	case func(*site.Article) template.HTML: // LinkedLead
		return method0(f)
	case func(*site.Article) []*site.Term: // Provinces
		return method0(f)
	case func(*site.Pager) []site.PageLink: // Window
		return method0(f)
	case func(*site.Term) int: // Count, Total, MergedCount
		return method0(f)
	case func(*site.Facet) int: // Count
		return method0(f)
	case func(*time.Time) bool: // IsZero of an addressable time
		return method0(f)
	case func(time.Time) bool: // IsZero
		return method0(f)
	}
	return nil
}

// method0 is directMethod's for a method without arguments or error.
func method0[R, T any](f func(R) T) func(recv reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	return func(recv reflect.Value, _ []reflect.Value) (reflect.Value, error) {
		return reflect.ValueOf(f(receiverOf[R](recv))), nil
	}
}

// receiverOf is recv as an R: always, recv being the value the method was looked up on.
func receiverOf[R any](recv reflect.Value) R {
	r, ok := reflect.TypeAssert[R](recv)
	if !ok {
		abort("receiver of type %s", recv.Type())
	}
	return r
}

// function compiles a call of a named function: one of the theme's, a builtin, or an
// escaper not at the end of an action.
func (c *compiler) function(name string, cmdArgs []parse.Node, hasFinal bool) (cmdFn, error) {
	args, err := c.args(cmdArgs[1:])
	if err != nil {
		return nil, err
	}
	if fn, ok := c.funcs[name]; ok {
		plan := newCallPlan(name, fn.Type(), args)
		if direct := directCall(fn.Interface()); direct != nil {
			plan.invoke = direct
		}
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			return plan.call(s, dot, fn, args, final)
		}, nil
	}
	if strings.HasPrefix(name, "_html_template_") {
		e, ok := c.refs.escaperFor(name)
		if !ok || len(args)+btoi(hasFinal) != 1 {
			return nil, unsupported("escaper %s", name)
		}
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			v := final
			if len(args) == 1 {
				v = args[0].eval(s, dot, reflect.TypeFor[any]())
			} else {
				v = validateType(v, reflect.TypeFor[any]())
			}
			var a any
			if v.IsValid() {
				a = v.Interface()
			}
			return reflect.ValueOf(e(a))
		}, nil
	}
	n := len(args) + btoi(hasFinal)
	// Builtins: their arguments are reflect.Values (validateType to reflect.Value gives
	// the value itself), constants as ideal constants.
	raw := func(s *xstate, dot, final reflect.Value) []reflect.Value {
		out := make([]reflect.Value, 0, n)
		for _, a := range args {
			out = append(out, a.eval(s, dot, reflectValueType).Interface().(reflect.Value))
		}
		if hasFinal {
			out = append(out, final)
		}
		return out
	}
	switch name {
	case "and", "or":
		if n < 1 {
			return nil, unsupported("%s without arguments", name)
		}
		or := name == "or"
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			var v reflect.Value
			for _, a := range args {
				v = a.eval(s, dot, reflectValueType).Interface().(reflect.Value)
				if truth(v) == or {
					return v
				}
			}
			if hasFinal {
				v = final
			}
			return v
		}, nil
	case "not":
		if n != 1 {
			return nil, unsupported("not of %d", n)
		}
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			return reflect.ValueOf(!truth(raw(s, dot, final)[0]))
		}, nil
	case "len":
		if n != 1 {
			return nil, unsupported("len of %d", n)
		}
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			item, isNil := indirect(raw(s, dot, final)[0])
			if isNil {
				abort("len of nil pointer")
			}
			switch item.Kind() {
			case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
				return reflect.ValueOf(item.Len())
			}
			abort("len of type %s", item.Type())
			panic("not reached")
		}, nil
	case "eq", "ne", "lt", "le", "gt", "ge":
		if n != 2 {
			return nil, unsupported("%s of %d", name, n)
		}
		cmp := map[string]func(a, b reflect.Value) (bool, error){"eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge}[name]
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			v := raw(s, dot, final)
			t, err := cmp(v[0], v[1])
			if err != nil {
				panic(execFailed{err})
			}
			return reflect.ValueOf(t)
		}, nil
	case "index":
		if n < 1 {
			return nil, unsupported("index of %d", n)
		}
		return func(s *xstate, dot, final reflect.Value) reflect.Value {
			v := raw(s, dot, final)
			item, err := index(v[0], v[1:]...)
			if err != nil {
				panic(execFailed{err})
			}
			return item
		}, nil
	}
	return nil, unsupported("function %s", name)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The builtins below are text/template's (funcs.go).

type kind int

const (
	invalidKind kind = iota
	boolKind
	complexKind
	intKind
	floatKind
	stringKind
	uintKind
)

var errBadComparisonType = errors.New("invalid type for comparison")

func basicKind(v reflect.Value) (kind, error) {
	switch v.Kind() {
	case reflect.Bool:
		return boolKind, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intKind, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintKind, nil
	case reflect.Float32, reflect.Float64:
		return floatKind, nil
	case reflect.Complex64, reflect.Complex128:
		return complexKind, nil
	case reflect.String:
		return stringKind, nil
	}
	return invalidKind, errBadComparisonType
}

func isNil(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return v.IsNil()
	}
	return false
}

func canCompare(v1, v2 reflect.Value) bool {
	k1 := v1.Kind()
	k2 := v2.Kind()
	if k1 == reflect.Invalid || k2 == reflect.Invalid {
		return true
	}
	return v1.Type() == v2.Type()
}

func eq(arg1, arg reflect.Value) (bool, error) {
	arg1 = indirectInterface(arg1)
	k1, _ := basicKind(arg1)
	arg = indirectInterface(arg)
	k2, _ := basicKind(arg)
	truth := false
	if k1 != k2 {
		switch {
		case k1 == intKind && k2 == uintKind:
			truth = arg1.Int() >= 0 && uint64(arg1.Int()) == arg.Uint()
		case k1 == uintKind && k2 == intKind:
			truth = arg.Int() >= 0 && arg1.Uint() == uint64(arg.Int())
		default:
			if arg1.IsValid() && arg.IsValid() {
				return false, fmt.Errorf("incompatible types for comparison: %v and %v", arg1.Type(), arg.Type())
			}
		}
	} else {
		switch k1 {
		case boolKind:
			truth = arg1.Bool() == arg.Bool()
		case complexKind:
			truth = arg1.Complex() == arg.Complex()
		case floatKind:
			truth = arg1.Float() == arg.Float()
		case intKind:
			truth = arg1.Int() == arg.Int()
		case stringKind:
			truth = arg1.String() == arg.String()
		case uintKind:
			truth = arg1.Uint() == arg.Uint()
		default:
			if !canCompare(arg1, arg) {
				return false, fmt.Errorf("non-comparable types %s: %v, %s: %v", arg1, arg1.Type(), arg.Type(), arg)
			}
			if isNil(arg1) || isNil(arg) {
				truth = isNil(arg) == isNil(arg1)
			} else {
				if !arg.Type().Comparable() {
					return false, fmt.Errorf("non-comparable type %s: %v", arg, arg.Type())
				}
				truth = arg1.Interface() == arg.Interface()
			}
		}
	}
	return truth, nil
}

func ne(arg1, arg2 reflect.Value) (bool, error) {
	equal, err := eq(arg1, arg2)
	return !equal, err
}

func lt(arg1, arg2 reflect.Value) (bool, error) {
	arg1 = indirectInterface(arg1)
	k1, err := basicKind(arg1)
	if err != nil {
		return false, err
	}
	arg2 = indirectInterface(arg2)
	k2, err := basicKind(arg2)
	if err != nil {
		return false, err
	}
	truth := false
	if k1 != k2 {
		switch {
		case k1 == intKind && k2 == uintKind:
			truth = arg1.Int() < 0 || uint64(arg1.Int()) < arg2.Uint()
		case k1 == uintKind && k2 == intKind:
			truth = arg2.Int() >= 0 && arg1.Uint() < uint64(arg2.Int())
		default:
			return false, fmt.Errorf("incompatible types for comparison: %v and %v", arg1.Type(), arg2.Type())
		}
	} else {
		switch k1 {
		case boolKind, complexKind:
			return false, errBadComparisonType
		case floatKind:
			truth = arg1.Float() < arg2.Float()
		case intKind:
			truth = arg1.Int() < arg2.Int()
		case stringKind:
			truth = arg1.String() < arg2.String()
		case uintKind:
			truth = arg1.Uint() < arg2.Uint()
		}
	}
	return truth, nil
}

func le(arg1, arg2 reflect.Value) (bool, error) {
	lessThan, err := lt(arg1, arg2)
	if lessThan || err != nil {
		return lessThan, err
	}
	return eq(arg1, arg2)
}

func gt(arg1, arg2 reflect.Value) (bool, error) {
	lessOrEqual, err := le(arg1, arg2)
	if err != nil {
		return false, err
	}
	return !lessOrEqual, nil
}

func ge(arg1, arg2 reflect.Value) (bool, error) {
	lessThan, err := lt(arg1, arg2)
	if err != nil {
		return false, err
	}
	return !lessThan, nil
}

func indexArg(index reflect.Value, cap int) (int, error) {
	var x int64
	switch index.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x = index.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x = int64(index.Uint())
	case reflect.Invalid:
		return 0, fmt.Errorf("cannot index slice/array with nil")
	default:
		return 0, fmt.Errorf("cannot index slice/array with type %s", index.Type())
	}
	if x < 0 || int(x) < 0 || int(x) > cap {
		return 0, fmt.Errorf("index out of range: %d", x)
	}
	return int(x), nil
}

func prepareArg(value reflect.Value, argType reflect.Type) (reflect.Value, error) {
	if !value.IsValid() {
		if !canBeNil(argType) {
			return reflect.Value{}, fmt.Errorf("value is nil; should be of type %s", argType)
		}
		value = reflect.Zero(argType)
	}
	if value.Type().AssignableTo(argType) {
		return value, nil
	}
	if intLike(value.Kind()) && intLike(argType.Kind()) && value.Type().ConvertibleTo(argType) {
		return value.Convert(argType), nil
	}
	return reflect.Value{}, fmt.Errorf("value has type %s; should be %s", value.Type(), argType)
}

func intLike(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

func index(item reflect.Value, indexes ...reflect.Value) (reflect.Value, error) {
	item = indirectInterface(item)
	if !item.IsValid() {
		return reflect.Value{}, fmt.Errorf("index of untyped nil")
	}
	for _, index := range indexes {
		index = indirectInterface(index)
		var isNil bool
		if item, isNil = indirect(item); isNil {
			return reflect.Value{}, fmt.Errorf("index of nil pointer")
		}
		switch item.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
			x, err := indexArg(index, item.Len())
			if err != nil {
				return reflect.Value{}, err
			}
			item = item.Index(x)
		case reflect.Map:
			index, err := prepareArg(index, item.Type().Key())
			if err != nil {
				return reflect.Value{}, err
			}
			if x := item.MapIndex(index); x.IsValid() {
				item = x
			} else {
				item = reflect.Zero(item.Type().Elem())
			}
		default:
			return reflect.Value{}, fmt.Errorf("can't index item of type %s", item.Type())
		}
	}
	return item, nil
}

// isIdent reports whether cmd starts with the identifier (function) name.
func isIdent(cmd *parse.CommandNode, name string) bool {
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == name
}

// fragmentSpans records, during a page's execution into buf, where each partialCached
// fragment printed as it is lies in the page: the publish.File's Fragments, which the
// Writer may minify once for every page that has them (publish, writedata.go).
type fragmentSpans struct {
	buf   *bytes.Buffer
	spans []publish.Span
}

// add records that the next n bytes written to buf are a fragment.
func (f *fragmentSpans) add(n int) {
	if n > 0 {
		start := f.buf.Len()
		f.spans = append(f.spans, publish.Span{Start: start, End: start + n})
	}
}
