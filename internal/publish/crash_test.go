package publish

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment variables that turn the test binary into the crash child.
const (
	envCrashDest = "PUBLISH_CRASH_CHILD_DEST"
	envCrashGen  = "PUBLISH_CRASH_CHILD_GEN"
)

func TestMain(m *testing.M) {
	if dest := os.Getenv(envCrashDest); dest != "" {
		gen, err := strconv.Atoi(os.Getenv(envCrashGen))
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad", envCrashGen, err)
			os.Exit(2)
		}
		if err := crashChild(dest, gen); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// generationFiles is the content of generation gen: files shared by every
// generation (same names, different content) and files unique to it, plus a
// manifest listing them all.
func generationFiles(gen int) map[string]string {
	files := map[string]string{}
	for i := range 150 {
		files[fmt.Sprintf("shared/%d/%d.html", i%10, i)] = fmt.Sprintf("gen %d shared %d %s", gen, i, strings.Repeat("x", i*13))
	}
	for i := range 20 {
		files[fmt.Sprintf("gen%d/%d.txt", gen, i)] = fmt.Sprintf("gen %d own %d", gen, i)
	}
	files["manifest.txt"] = fmt.Sprintf("%d\n%s\n", gen, strings.Join(slices.Sorted(maps.Keys(files)), "\n"))
	return files
}

// crashChild publishes generation gen into dest, reporting progress on
// stdout so the parent can time its SIGKILL.
func crashChild(dest string, gen int) error {
	w, err := Begin(context.Background(), dest, Options{Workers: 2})
	if err != nil {
		return err
	}
	defer w.Abort()
	fmt.Println("BEGUN")
	files := generationFiles(gen)
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		if err := w.Add(rel, []byte(files[rel]), "crash"); err != nil {
			return err
		}
	}
	fmt.Println("COMMIT")
	_, err = w.Commit()
	return err
}

// checkGeneration verifies that dest holds exactly one complete generation
// and returns its number.
func checkGeneration(t *testing.T, dest string) int {
	t.Helper()
	got := readTree(t, dest)
	manifest, ok := got["manifest.txt"]
	if !ok {
		t.Fatalf("dest has no manifest (missing or partial output): %d files", len(got))
	}
	gen, err := strconv.Atoi(strings.SplitN(manifest, "\n", 2)[0])
	if err != nil {
		t.Fatalf("bad manifest %q", manifest)
	}
	if want := generationFiles(gen); !maps.Equal(got, want) {
		t.Fatalf("dest is not exactly generation %d: %d files, want %d (mixed or partial output)", gen, len(got), len(want))
	}
	return gen
}

// TestSIGKILLNeverLeavesMixedOutput re-runs the test binary as a child that
// publishes a new generation and kills it at random moments, including
// during Commit. After every kill dest must hold the complete old or the
// complete new generation.
func TestSIGKILLNeverLeavesMixedOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dest := newDest(t, nil)
	publishAll(t, dest, Options{}, generationFiles(0))

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	deadline := time.Now().Add(8 * time.Second)
	current := 0
	var killed, killedInCommit, completed int
	for gen := 1; gen <= 20 && time.Now().Before(deadline); gen++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), envCrashDest+"="+dest, envCrashGen+"="+strconv.Itoa(gen))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewReader(out)
		// Pick where to kill: after the child began (while adding files),
		// just after it announced Commit, or a random time from the start.
		mode := gen % 3
		waitFor := map[int]string{0: "BEGUN\n", 1: "COMMIT\n"}[mode]
		if waitFor != "" {
			for {
				line, err := lines.ReadString('\n')
				if line == waitFor || err != nil {
					break
				}
			}
		}
		delays := []time.Duration{2 * time.Millisecond, 3 * time.Millisecond, 40 * time.Millisecond}
		time.Sleep(time.Duration(rng.Int64N(int64(delays[mode]))))
		sigErr := cmd.Process.Signal(syscall.SIGKILL)
		go io.Copy(io.Discard, lines)
		werr := cmd.Wait()
		switch {
		case sigErr == nil && werr != nil && strings.Contains(werr.Error(), "killed"):
			killed++
			if mode == 1 {
				killedInCommit++
			}
		case werr == nil:
			completed++
		default:
			t.Fatalf("child %d failed: %v", gen, werr)
		}

		// Before any cleanup: dest is whole.
		got := checkGeneration(t, dest)
		if got != current && got != gen {
			t.Fatalf("after child %d, dest holds generation %d, want %d or %d", gen, got, current, gen)
		}
		if werr == nil && got != gen {
			t.Fatalf("child %d completed but dest holds generation %d", gen, got)
		}
		current = got
		if err := Recover(dest); err != nil {
			t.Fatal(err)
		}
		if names := siblings(t, dest); !slices.Equal(names, []string{"public"}) {
			t.Fatalf("Recover left %v", names)
		}
		if checkGeneration(t, dest) != current {
			t.Fatal("Recover changed the generation")
		}
	}
	t.Logf("killed %d (%d after COMMIT), completed %d", killed, killedInCommit, completed)
	if killed == 0 {
		t.Error("no child was killed; the test did not exercise crashes")
	}
}
