package diag

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryDiagnosticFollowsTheRuleBook reads the program's sources: every Errorf and
// Warnf call of a diag.List, and every Diagnostic written out with a Code, must use a
// code of Rules with that rule's severity. A new diagnostic needs a rule first; a code
// cannot be an error in one place and a warning in another.
func TestEveryDiagnosticFollowsTheRuleBook(t *testing.T) {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Errorf" && sel.Sel.Name != "Warnf") || len(n.Args) < 5 {
					return true
				}
				lit, ok := n.Args[3].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true // not a diag.List call (t.Errorf, fmt.Errorf have other shapes)
				}
				code, _ := strconv.Unquote(lit.Value)
				sev := Error
				if sel.Sel.Name == "Warnf" {
					sev = Warning
				}
				check(t, fset.Position(n.Pos()).String(), code, sev, seen)
			case *ast.CompositeLit:
				if typ, ok := n.Type.(*ast.SelectorExpr); !ok || typ.Sel.Name != "Diagnostic" {
					if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "Diagnostic" {
						return true
					}
				}
				var code string
				sev := Error
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					switch k := kv.Key.(*ast.Ident); k.Name {
					case "Code":
						if lit, ok := kv.Value.(*ast.BasicLit); ok {
							code, _ = strconv.Unquote(lit.Value)
						}
					case "Severity":
						if s, ok := kv.Value.(*ast.SelectorExpr); ok && s.Sel.Name == "Warning" {
							sev = Warning
						}
					}
				}
				if code != "" {
					check(t, fset.Position(n.Pos()).String(), code, sev, seen)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"front-matter", "broken-link", "unknown-province", "collision", "config"} {
		if !seen[want] {
			t.Errorf("the sources were not read: no use of %q found", want)
		}
	}
	for _, r := range Rules {
		if !seen[r.Code] {
			t.Errorf("rule %q is in the rule book but no code reports it", r.Code)
		}
	}
}

func check(t *testing.T, at, code string, sev Severity, seen map[string]bool) {
	t.Helper()
	seen[code] = true
	r, ok := RuleOf(code)
	if !ok {
		t.Errorf("%s: code %q is not in diag.Rules", at, code)
		return
	}
	if r.Severity != sev {
		t.Errorf("%s: code %q reported as %s, the rule book says %s", at, code, sev, r.Severity)
	}
}

func TestRuleBookHasOneEntryPerCode(t *testing.T) {
	codes := map[string]bool{}
	for _, r := range Rules {
		if codes[r.Code] {
			t.Errorf("code %q twice in the rule book", r.Code)
		}
		codes[r.Code] = true
		if r.Doc == "" {
			t.Errorf("rule %q has no description", r.Code)
		}
	}
	if !(Diagnostic{Code: "front-matter"}).ArticleLevel() || (Diagnostic{Code: "collision"}).ArticleLevel() || (Diagnostic{Code: "no-such-rule"}).ArticleLevel() {
		t.Error("ArticleLevel does not follow the rules' scopes")
	}
}
