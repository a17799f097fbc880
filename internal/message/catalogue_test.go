package message

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// formatArg says which argument of a call is a catalogued Vietnamese format: the
// diagnostics' Errorf/Warnf (path, line, col, code, format), message.New/Errorf, a
// Lang's Sprintf, the CLI's printf/println (writer, format) and flag definitions
// (name, default, usage).
func formatArg(call *ast.CallExpr) (ast.Expr, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		// logf (server.Logger) and province's fail take a format first.
		if id, ok := call.Fun.(*ast.Ident); ok && (id.Name == "logf" || id.Name == "fail") && len(call.Args) > 0 {
			return call.Args[0], true
		}
		return nil, false
	}
	pkg := ""
	if id, ok := sel.X.(*ast.Ident); ok {
		pkg = id.Name
	}
	at := -1
	switch name := sel.Sel.Name; {
	case pkg == "message" && (name == "New" || name == "Errorf"):
		at = 0
	case (name == "Errorf" || name == "Warnf") && len(call.Args) >= 5:
		at = 4
	case name == "Sprintf" && pkg != "fmt":
		at = 0
	case (name == "logf" || name == "mark") && len(call.Args) > 0: // mark: build's stage names
		at = 0
	case (name == "printf" || name == "println") && len(call.Args) >= 2:
		at = 1
	case slices.Contains([]string{"String", "Bool", "Int", "Int64", "Float64", "Duration", "Var", "StringVar", "BoolVar", "IntVar"}, name) && (pkg == "fs" || pkg == "flags"):
		at = 2
		if strings.HasSuffix(name, "Var") && name != "Var" {
			at = 3
		}
	}
	if at < 0 || at >= len(call.Args) {
		return nil, false
	}
	return call.Args[at], true
}

var letters = regexp.MustCompile(`\pL`)

// sourceFormats returns every literal format string of the program (not tests) with
// its position.
func sourceFormats(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "message") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			for _, skip := range []string{"corpus", "sitetest", "browsertest", "hardening", "themecheck"} {
				if strings.Contains(p, "/internal/"+skip+"/") {
					return nil
				}
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				arg, ok := formatArg(call)
				if !ok {
					return true
				}
				lit, ok := arg.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && letters.MatchString(verbRe.ReplaceAllString(s, "")) {
					out[s] = fset.Position(lit.Pos()).String()
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestEveryMessageHasATranslation fails for a message format in the program that the
// catalogue lacks: add it to catalogue.go with its English translation.
func TestEveryMessageHasATranslation(t *testing.T) {
	formats := sourceFormats(t)
	if len(formats) < 100 {
		t.Fatalf("found only %d message formats: the scan is broken", len(formats))
	}
	var missing []string
	for f, pos := range formats {
		if _, ok := english[f]; !ok {
			missing = append(missing, fmt.Sprintf("%s:\n\t%q: %q,", pos, f, ""))
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Error("no English translation for\n" + m)
	}
}

var verbRe = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// TestTranslationsKeepTheArguments checks that each translation has the same verbs,
// in the same order, as its Vietnamese format (%w and %v count alike), and that no
// translation is empty or left in Vietnamese.
func TestTranslationsKeepTheArguments(t *testing.T) {
	vietnamese := regexp.MustCompile(`[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]`)
	norm := func(s string) []string {
		vs := verbRe.FindAllString(s, -1)
		for i, v := range vs {
			vs[i] = strings.Replace(v, "w", "v", 1)
		}
		return vs
	}
	for vi, en := range english {
		if en == "" {
			t.Errorf("%q: empty translation", vi)
			continue
		}
		if !slices.Equal(norm(vi), norm(en)) {
			t.Errorf("%q → %q: verbs %v, translation has %v", vi, en, norm(vi), norm(en))
		}
		// Province names and examples may stay Vietnamese; a translation that is
		// mostly Vietnamese was not translated.
		if n := len(vietnamese.FindAllString(en, -1)); n > len([]rune(en))/4 {
			t.Errorf("%q: translation %q looks Vietnamese", vi, en)
		}
	}
}

// TestUnusedTranslations lists catalogue entries no code uses any more (so that the
// catalogue does not grow stale), apart from formats built at run time.
func TestUnusedTranslations(t *testing.T) {
	formats := sourceFormats(t)
	for vi := range dynamic {
		if _, ok := english[vi]; !ok {
			t.Errorf("dynamic format %q has no English translation", vi)
		}
	}
	for vi := range english {
		if _, ok := formats[vi]; !ok && !dynamic[vi] {
			t.Errorf("catalogue entry %q is used nowhere: remove it (or list it in dynamic if it is chosen at run time)", vi)
		}
	}
}

// TestFormatsAreVietnamese fails for a message of the program written in English: the
// catalogue's keys are the Vietnamese messages people read by default.
func TestFormatsAreVietnamese(t *testing.T) {
	english := regexp.MustCompile(`(?i)( the | is missing|invalid|not allowed|cannot|found character|expected|must be| is not |did you mean|unknown|failed|not found|please|should)`)
	for f, pos := range sourceFormats(t) {
		if english.MatchString(f) {
			t.Errorf("%s: %q looks English; write it in Vietnamese and put the English in the catalogue", pos, f)
		}
	}
}
