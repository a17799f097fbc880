package buildcache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// ProgramFile remembers, in a cache folder, the hash of the portal program (Executable)
// by its file's path and identity (size, modification and change times, inode, device):
// hashing the 50 MB executable took ≈ 50 ms of every build with a cache, 3 % of an edit
// build at 10,000 articles. Any write to the file or its replacement changes its
// identity, and the change time cannot be set back by hand; a file changed less than
// programMargin before the build (a change in the same tick of the file system's clock
// would not show) is hashed but not remembered.
const ProgramFile = "program.id"

// programMargin: see ProgramFile (publish's racyMargin, for the same reason).
const programMargin = 2 * time.Second

// ExecutableIn returns a hex SHA-256 of the running program's file (pages rendered by
// another build of portal are never reused), remembered in the cache folder dir
// (ProgramFile). A folder that does not exist yet, or cannot be written, only means
// hashing the program again next time.
func ExecutableIn(dir string) (string, error) {
	p, err := os.Executable()
	if err != nil {
		return "", message.Errorf("không tìm thấy tệp chương trình portal đang chạy để nhận diện: %w", err)
	}
	return programHash(dir, p, time.Now(), hashFile)
}

func hashFile(f *os.File) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// programHash is the hash of the program file at path by sum, or the one dir remembers
// for its identity, at the time now.
func programHash(dir, path string, now time.Time, sum func(*os.File) (string, error)) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", message.Errorf("không đọc được tệp chương trình portal đang chạy để nhận diện: %w", err)
	}
	defer f.Close()
	line := ""
	if fi, err := f.Stat(); err == nil {
		if id, err := fileID(fi); err == nil && fi.Mode().IsRegular() && !strings.ContainsAny(path, "\n\r") {
			line = fmt.Sprintf("portal-program 1 %d %d %d %d %d %s", id.Size, id.ModNs, id.ChgNs, id.Ino, id.Dev, path)
			if now.UnixNano()-max(id.ModNs, id.ChgNs) < int64(programMargin) {
				line = "" // too young to be told apart from its next change
			}
		}
	}
	if line != "" {
		if b, err := os.ReadFile(filepath.Join(dir, ProgramFile)); err == nil {
			if known, ok := strings.CutPrefix(string(b), line+"\n"); ok {
				if known, ok = strings.CutSuffix(known, "\n"); ok && isSum(known) {
					return known, nil
				}
			}
		}
	}
	h, err := sum(f)
	if err != nil {
		return "", message.Errorf("không đọc được tệp chương trình portal đang chạy để nhận diện: %w", err)
	}
	if line != "" {
		_ = writeAtomic(dir, ProgramFile, []byte(line+"\n"+h+"\n"))
	}
	return h, nil
}

// isSum reports whether s is a hex SHA-256 as hashFile writes it.
func isSum(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
