package publish

import (
	"path"
	"testing"
)

// relCases are output paths, clean and not, for the fast paths of cleanRel and the
// folder helpers.
var relCases = []string{
	"index.html", "a/index.html", "tin-tuc/bai-1/index.html", "tin-tuc/bai-1/index.html.gz",
	".search/manifest.json", "a.b/c..d/...", "a/.hidden", "é/ư.html",
	"", ".", "..", "./a", "a/.", "a/..", "../a", "a/../b", "a//b", "/a", "a/", "a/b/",
	"a\\b", "a\x00b", "c:/x", "C:", "a/./b", "//", "a/b/../../c",
}

// TestPlainRelAgreesWithCheckRel: a path plainRel lets through is one checkRel accepts
// as it is, and every clean path of the cases is let through.
func TestPlainRelAgreesWithCheckRel(t *testing.T) {
	for _, rel := range relCases {
		c, err := checkRel(rel)
		clean := err == nil && c == rel
		if plainRel(rel) != clean {
			t.Errorf("plainRel(%q) = %v, checkRel gives (%q, %v)", rel, plainRel(rel), c, err)
		}
		got, gerr := cleanRel(rel)
		if got != c || (gerr == nil) != (err == nil) {
			t.Errorf("cleanRel(%q) = (%q, %v), checkRel (%q, %v)", rel, got, gerr, c, err)
		}
	}
}

// TestCleanRelOfACleanPathAllocatesNothing: ReadListing checks every path of a saved
// listing with cleanRel (about 350,000 at 100,000 articles); a clean one costs one scan.
func TestCleanRelOfACleanPathAllocatesNothing(t *testing.T) {
	rel := "tin-tuc/bai-so-12345/index.html.gz"
	if n := testing.AllocsPerRun(100, func() {
		if c, err := cleanRel(rel); err != nil || c != rel {
			t.Fatal(c, err)
		}
	}); n != 0 {
		t.Errorf("cleanRel(%q) allocates %v times", rel, n)
	}
}

func TestDirOfAndBaseOfAreThoseOfPath(t *testing.T) {
	for _, rel := range relCases {
		if !plainRel(rel) {
			continue
		}
		if dirOf(rel) != path.Dir(rel) || baseOf(rel) != path.Base(rel) {
			t.Errorf("%q: dirOf %q baseOf %q, path %q %q", rel, dirOf(rel), baseOf(rel), path.Dir(rel), path.Base(rel))
		}
	}
}
