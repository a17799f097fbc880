package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/importer"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/sitetest"
)

// authorRun runs the portal command line and returns its exit code, stdout and stderr.
func authorRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// authorSeeds returns the folder of the five legacy articles kept as test data.
func authorSeeds(t *testing.T) string {
	t.Helper()
	return filepath.Join(sitetest.RepoRoot(t), "testdata", "import")
}

// authorExpected converts a legacy file with the importer and returns the target file
// name and Markdown.
func authorExpected(t *testing.T, path string) (string, []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := importer.Convert(path, raw, province.Default())
	if err != nil {
		t.Fatal(err)
	}
	return a.Slug() + ".md", a.Markdown()
}

func authorSeedFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(authorSeeds(t), "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("want the five legacy articles in testdata/import, got %v (%v)", files, err)
	}
	return files
}

func TestImportFolder(t *testing.T) {
	site := t.TempDir()
	code, out, errOut := authorRun(t, "import", "--source", site, authorSeeds(t))
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, f := range authorSeedFiles(t) {
		name, want := authorExpected(t, f)
		got, err := os.ReadFile(filepath.Join(site, "content", "tin-tuc", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the importer's output", name)
		}
		if !strings.Contains(out, f+" → ") {
			t.Errorf("the report does not name %s", f)
		}
	}
	for _, s := range []string{
		"ngày:            29/05/2007 00:00 (theo đoạn mở đầu “Ngày 29/05/2007”)",
		"tác giả:         Trần Thị Huệ",
		"nguồn:           Sở BCVT Quảng Ngãi",
		"tác giả:         — (CẦN XEM LẠI)",
		"CẦN XEM LẠI tác giả:",
		"thẻ:             Nghị quyết 16/NQ-TU, Quyết định 2599/QĐ-UBND",
		"Đã nhập 5 bài",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("the report lacks %q:\n%s", s, out)
		}
	}
}

func TestImportNeverOverwrites(t *testing.T) {
	site := t.TempDir()
	files := authorSeedFiles(t)
	name, _ := authorExpected(t, files[0])
	existing := filepath.Join(site, "content", "tin-tuc", name)
	if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
		t.Fatal(err)
	}
	mine := []byte("---\ntitle: \"Bài đã sửa tay\"\ndate: 2007-05-29\n---\nĐừng ghi đè.\n")
	if err := os.WriteFile(existing, mine, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := authorRun(t, "import", "--source", site, authorSeeds(t))
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(errOut, "--force") || !strings.Contains(errOut, name) {
		t.Errorf("stderr does not explain the refusal: %s", errOut)
	}
	if got, _ := os.ReadFile(existing); !bytes.Equal(got, mine) {
		t.Error("the existing file was overwritten")
	}
	for _, f := range files[1:] {
		n, _ := authorExpected(t, f)
		if _, err := os.Stat(filepath.Join(site, "content", "tin-tuc", n)); err != nil {
			t.Errorf("the other files must still be imported: %v", err)
		}
	}

	// --force replaces it with the importer's output.
	code, out, errOut := authorRun(t, "import", "--source", site, "--force", authorSeeds(t))
	if code != ExitOK {
		t.Fatalf("--force: exit %d\n%s\n%s", code, out, errOut)
	}
	_, want := authorExpected(t, files[0])
	if got, _ := os.ReadFile(existing); !bytes.Equal(got, want) {
		t.Error("--force did not replace the file")
	}
	if left, _ := filepath.Glob(filepath.Join(site, "content", "tin-tuc", ".portal-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestImportDryRun(t *testing.T) {
	site := t.TempDir()
	files := authorSeedFiles(t)
	// Flags may follow the files.
	code, out, errOut := authorRun(t, "import", files[2], "--source", site, "--dry-run")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(site, "content")); !os.IsNotExist(err) {
		t.Errorf("--dry-run wrote something: %v", err)
	}
	_, want := authorExpected(t, files[2])
	if !strings.Contains(out, string(want)) {
		t.Errorf("--dry-run does not print the full Markdown:\n%s", out)
	}
	if !strings.Contains(out, "Chạy thử") {
		t.Errorf("--dry-run does not say it wrote nothing:\n%s", out)
	}
}

func TestImportBadFilesAreSkipped(t *testing.T) {
	site := t.TempDir()
	in := t.TempDir()
	good, err := os.ReadFile(authorSeedFiles(t)[4])
	if err != nil {
		t.Fatal(err)
	}
	// A copy saved on Windows from a Mac: BOM, NFD and CRLF.
	messy := append([]byte("\uFEFF"), norm.NFD.Bytes(bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n")))...)
	for name, data := range map[string][]byte{
		"1-rong.txt":     nil,
		"2-anh.txt":      {0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0},
		"3-tot.txt":      messy,
		"4-khong-co.txt": []byte("(Mic.gov.vn) - \n\nChỉ có nội dung.\n"),
		"ghi-chu.md":     []byte("not a .txt file: ignored in a folder"),
	} {
		if err := os.WriteFile(filepath.Join(in, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := authorRun(t, "import", "--source", site, in)
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	for _, name := range []string{"1-rong.txt", "2-anh.txt", "4-khong-co.txt"} {
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not report %s:\n%s", name, errOut)
		}
	}
	if strings.Contains(errOut+out, "ghi-chu.md") {
		t.Error("a .md file in the folder was read")
	}
	_, want := authorExpected(t, authorSeedFiles(t)[4])
	written, _ := filepath.Glob(filepath.Join(site, "content", "tin-tuc", "*.md"))
	if len(written) != 1 {
		t.Fatalf("want exactly the good file imported, got %v", written)
	}
	got, _ := os.ReadFile(written[0])
	if !bytes.Equal(got, want) {
		t.Errorf("BOM/NFD/CRLF input gave different output:\n%s", got)
	}
	if !strings.Contains(out, "UTF-8 (BOM, CRLF, NFD)") {
		t.Errorf("the report does not say how the file was encoded:\n%s", out)
	}
}

func TestImportSameTitleTwice(t *testing.T) {
	site := t.TempDir()
	f := authorSeedFiles(t)[0]
	in := t.TempDir()
	raw, _ := os.ReadFile(f)
	copyPath := filepath.Join(in, "ban-sao.txt")
	if err := os.WriteFile(copyPath, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := authorRun(t, "import", "--source", site, "--force", f, copyPath)
	if code != ExitError || !strings.Contains(errOut, "cùng tiêu đề") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
}

func TestImportUsage(t *testing.T) {
	if code, _, errOut := authorRun(t, "import"); code != ExitUsage || errOut == "" {
		t.Errorf("no arguments: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := authorRun(t, "import", "--bogus", "x"); code != ExitUsage {
		t.Errorf("unknown flag: exit %d", code)
	}
	if code, _, errOut := authorRun(t, "import", "--source", t.TempDir(), filepath.Join(t.TempDir(), "khong-co.txt")); code != ExitError || !strings.Contains(errOut, "không tìm thấy") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}
