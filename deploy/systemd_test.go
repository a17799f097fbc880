package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/cli"
)

// units are the systemd files of deploy/systemd and the name each is verified under
// (a template needs an instance).
var units = map[string]string{
	"portal-serve@.service":      "portal-serve@8101.service",
	"portal-build.service":       "portal-build.service",
	"portal-build.timer":         "portal-build.timer",
	"portal-serve-watch.service": "portal-serve-watch.service",
	"portal-recover.service":     "portal-recover.service",
}

// unitLines returns the "Key=value" lines of a unit file (comments and sections left out).
func unitLines(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(readFile(t, filepath.Join("systemd", name)), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' || line[0] == '[' {
			continue
		}
		out = append(out, line)
	}
	return out
}

// TestSystemdUnitsVerify runs `systemd-analyze verify` on the units (the portal program
// replaced by an existing one): any warning (an unknown key, a bad value) fails.
func TestSystemdUnitsVerify(t *testing.T) {
	bin, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed; the units are checked only by TestSystemdUnitsHarden")
	}
	dir := t.TempDir()
	for src, name := range units {
		text := strings.ReplaceAll(readFile(t, filepath.Join("systemd", src)), "/usr/local/bin/portal", "/bin/true")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range units {
		cmd := exec.Command(bin, "verify", "--man=no", filepath.Join(dir, name))
		cmd.Env = append(os.Environ(), "SYSTEMD_LOG_LEVEL=notice")
		out, err := cmd.CombinedOutput()
		// Outside a booted systemd, verify may note that it cannot reach the manager.
		var msgs []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" && !strings.Contains(l, "System has not been booted") && !strings.Contains(l, "Failed to connect to bus") {
				msgs = append(msgs, l)
			}
		}
		if err != nil || len(msgs) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", name, err, strings.Join(msgs, "\n"))
		}
	}
}

// TestSystemdUnitsHarden checks the settings the issue asks of the services: their own
// user, a read-only system, restart on failure, no new privileges; the build's writable
// cache folder; and that the command lines are ones `portal` accepts.
func TestSystemdUnitsHarden(t *testing.T) {
	want := map[string][]string{
		"portal-serve@.service": {
			"User=portal", "ProtectSystem=strict", "ReadOnlyPaths=/srv/portal/trang",
			"NoNewPrivileges=yes", "Restart=on-failure", "PrivateTmp=yes", "CapabilityBoundingSet=",
			"IPAddressAllow=localhost", "Wants=portal-recover.service", "After=portal-recover.service",
		},
		"portal-build.service": {
			"User=portal", "ProtectSystem=strict", "CacheDirectory=portal", "NoNewPrivileges=yes",
			"PrivateNetwork=yes", "SuccessExitStatus=3",
		},
		"portal-build.timer": {"Persistent=true"},
		"portal-recover.service": {
			"User=portal", "ProtectSystem=strict", "ReadWritePaths=/srv/portal/trang",
			"NoNewPrivileges=yes", "PrivateNetwork=yes", "Before=nginx.service caddy.service",
		},
		"portal-serve-watch.service": {
			"User=portal", "ProtectSystem=strict", "ReadWritePaths=/srv/portal/trang",
			"ReadOnlyPaths=/srv/portal/trang/content /srv/portal/trang/config.toml",
			"NoNewPrivileges=yes", "Restart=on-failure", "IPAddressAllow=localhost",
		},
	}
	for name, keys := range want {
		lines := unitLines(t, name)
		for _, k := range keys {
			found := false
			for _, l := range lines {
				found = found || l == k
			}
			if !found {
				t.Errorf("%s lacks %s", name, k)
			}
		}
	}
	// Every ExecStart runs a command and flags that portal accepts: the same arguments
	// plus --help exit 0 (an unknown flag is a usage error, 2).
	for src := range units {
		for _, l := range unitLines(t, src) {
			cmdline, ok := strings.CutPrefix(l, "ExecStart=")
			if !ok || !strings.HasPrefix(cmdline, "/usr/local/bin/portal ") {
				continue
			}
			args := strings.Fields(strings.ReplaceAll(cmdline, "%i", "8101"))[1:]
			var out bytes.Buffer
			if code := cli.Main(append(args, "--help"), cli.Env{Stdout: &out, Stderr: &out}); code != cli.ExitOK {
				t.Errorf("%s: `portal %s` is refused (exit %d):\n%s", src, strings.Join(args, " "), code, out.String())
			}
		}
	}
}
