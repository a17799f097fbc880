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
	"path/filepath"
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
	// envCrashStep names the step of Commit at which the child kills itself ("" : none).
	envCrashStep = "PUBLISH_CRASH_CHILD_STEP"
)

func TestMain(m *testing.M) {
	if dest := os.Getenv(envCrashDest); dest != "" {
		gen, err := strconv.Atoi(os.Getenv(envCrashGen))
		if err != nil {
			fmt.Fprintln(os.Stderr, "bad", envCrashGen, err)
			os.Exit(2)
		}
		if err := crashChild(dest, gen, os.Getenv(envCrashStep)); err != nil {
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
// stdout so the parent can time its SIGKILL; with killAt it kills itself at that
// step of Commit.
func crashChild(dest string, gen int, killAt string) error {
	ctx := context.Background()
	if killAt != "" {
		ctx = WithStep(ctx, func(name string) {
			if name == killAt {
				_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {} // the signal is on its way
			}
		})
	}
	w, err := Begin(ctx, dest, Options{Workers: 2})
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

// hasJournal reports whether a staging folder beside dest holds a journal: a build
// was killed while it applied its changes, and dest may be a mix until Recover.
func hasJournal(t *testing.T, dest string) bool {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(filepath.Dir(dest), tmpPrefix(dest)+"*", journalName))
	if err != nil {
		t.Fatal(err)
	}
	return len(found) > 0
}

// TestSIGKILLNeverLeavesMixedOutput re-runs the test binary as a child that
// publishes a new generation and kills it at random moments, including
// during Commit. After every kill dest must hold the complete old or the
// complete new generation, or a journal whose recovery makes it the complete
// new one.
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
	var killed, killedInCommit, completed, advancedByKilled, journals int
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

		// Before any cleanup: dest is whole, or a journal says how to finish it.
		journaled := hasJournal(t, dest)
		if journaled {
			journals++
			if err := Recover(dest); err != nil {
				t.Fatal(err)
			}
		}
		got := checkGeneration(t, dest)
		if got != current && got != gen {
			t.Fatalf("after child %d, dest holds generation %d, want %d or %d", gen, got, current, gen)
		}
		if journaled && got != gen {
			t.Fatalf("child %d was killed after its journal, but recovery left generation %d", gen, got)
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
	t.Logf("killed %d (%d after COMMIT, %d of them after the journal, %d while applying it), completed %d", killed, killedInCommit, advancedByKilled, journals, completed)
	if killed == 0 {
		t.Error("no child was killed; the test did not exercise crashes")
	}
}

// TestSIGKILLAtEachStepOfCommit kills the child at named steps of Commit: before the
// journal the output stays the old generation; from the journal on, the output may be
// a mix (the rename phase) until the next Begin or Recover finishes the journal, which
// makes it the complete new generation.
func TestSIGKILLAtEachStepOfCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	renames := slices.Sorted(maps.Keys(generationFiles(1)))
	cases := []struct {
		step    string
		wantNew bool // the journal is on disk: recovery rolls forward
		before  int  // the generation before recovery; -1: a mix of both
	}{
		{"planned", false, 0},
		{"journaled", true, 0},
		{"renamed " + renames[0], true, -1},
		{"renamed " + renames[len(renames)/2], true, -1},
		{"applied", true, 1},
	}
	for i, c := range cases {
		for _, by := range []string{"Recover", "Begin"} {
			t.Run(fmt.Sprintf("%s/%s", c.step, by), func(t *testing.T) {
				dest := newDest(t, nil)
				publishAll(t, dest, Options{}, generationFiles(0))
				cmd := exec.Command(exe, "-test.run=^$")
				cmd.Env = append(os.Environ(), envCrashDest+"="+dest, envCrashGen+"=1", envCrashStep+"="+c.step,
					"GORACE=atexit_sleep_ms=0")
				err := cmd.Run()
				if err == nil || !strings.Contains(err.Error(), "killed") {
					t.Fatalf("child did not die at %q: %v", c.step, err)
				}
				if got := hasJournal(t, dest); got != c.wantNew {
					t.Errorf("journal left: %v, want %v", got, c.wantNew)
				}
				if c.before < 0 {
					if got := sitetest.ReadTree(t, dest); maps.Equal(got, generationFiles(0)) || maps.Equal(got, generationFiles(1)) {
						t.Errorf("killed at %q, the output is already whole: the test does not reach the rename phase", c.step)
					}
				} else if got := checkGeneration(t, dest); got != c.before {
					t.Errorf("before recovery: generation %d, want %d", got, c.before)
				}
				want := map[bool]int{false: 0, true: 1}[c.wantNew]
				if by == "Recover" {
					if err := Recover(dest); err != nil {
						t.Fatal(err)
					}
				} else {
					w, err := Begin(context.Background(), dest, Options{})
					if err != nil {
						t.Fatal(err)
					}
					w.Abort()
				}
				if got := checkGeneration(t, dest); got != want {
					t.Errorf("after %s: generation %d, want %d", by, got, want)
				}
				if names := siblings(t, dest); !slices.Equal(names, []string{"public"}) {
					t.Errorf("%s left %v", by, names)
				}
				// The next build publishes over the recovered output as usual.
				publishAll(t, dest, Options{}, generationFiles(2+i))
				checkGeneration(t, dest)
			})
		}
	}
}
