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

	"github.com/vnportal/portal/internal/sitetest"
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
	for i := range 60 {
		files[fmt.Sprintf("shared/%d/%d.html", i%6, i)] = fmt.Sprintf("gen %d shared %d %s", gen, i, strings.Repeat("x", i*37))
	}
	for i := range 10 {
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
		if err := w.Add(File{Rel: rel, Data: []byte(files[rel]), Source: "crash"}); err != nil {
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
	got := sitetest.ReadTree(t, dest)
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
	deadline := time.Now().Add(10 * time.Second)
	current := 0
	var killed, killedInCommit, completed, advancedByKilled int
	// The first child runs to completion to measure how long a run and its
	// Commit take on this machine; later kills are spread over those spans.
	var runTime, commitTime time.Duration
	for gen := 1; gen <= 20 && time.Now().Before(deadline); gen++ {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), envCrashDest+"="+dest, envCrashGen+"="+strconv.Itoa(gen),
			"GORACE=atexit_sleep_ms=0") // -race otherwise sleeps 1s at exit
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		started := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewReader(out)
		waitLine := func(want string) {
			for {
				line, err := lines.ReadString('\n')
				if line == want || err != nil {
					return
				}
			}
		}
		randUpTo := func(d time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(d) + 1)) }
		mode := gen % 3
		switch {
		case gen == 1:
			waitLine("COMMIT\n")
			committing := time.Now()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("child %d failed: %v", gen, err)
			}
			runTime, commitTime = time.Since(started), time.Since(committing)
			t.Logf("uninterrupted child: %v, of which Commit %v", runTime, commitTime)
		case mode == 0: // while files are being added
			waitLine("BEGUN\n")
			time.Sleep(randUpTo(runTime - commitTime))
		case mode == 1: // during Commit (a little past its usual end too)
			waitLine("COMMIT\n")
			time.Sleep(randUpTo(commitTime * 5 / 4))
		default: // anywhere, process start-up included
			time.Sleep(randUpTo(runTime))
		}
		var werr error
		if gen > 1 {
			sigErr := cmd.Process.Signal(syscall.SIGKILL)
			go io.Copy(io.Discard, lines)
			werr = cmd.Wait()
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
		}

		// Before any cleanup: dest is whole.
		got := checkGeneration(t, dest)
		if got != current && got != gen {
			t.Fatalf("after child %d, dest holds generation %d, want %d or %d", gen, got, current, gen)
		}
		if werr == nil && got != gen {
			t.Fatalf("child %d completed but dest holds generation %d", gen, got)
		}
		if werr != nil && got == gen {
			advancedByKilled++
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
	t.Logf("killed %d (%d after COMMIT, %d of them after the swap), completed %d", killed, killedInCommit, advancedByKilled, completed)
	if killed == 0 {
		t.Error("no child was killed; the test did not exercise crashes")
	}
}
