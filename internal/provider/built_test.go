package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// builtProvider is the provider built as users run it, in a filesystem
// mirror: where a test needs what only separate plugin processes give
// (each provider block of a configuration configured on its own, as
// aliases are), the CLI runs this binary instead of the test's server.
var builtProvider = sync.OnceValues(func() (string, error) {
	mirror, err := os.MkdirTemp("", "hwc-mirror-*")
	if err != nil {
		return "", err
	}
	builtMirror = mirror
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "hwc-terraform", "hwc", "0.0.1", goPlatform())
		bin := filepath.Join(dir, "terraform-provider-hwc_v0.0.1")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = ".." + string(filepath.Separator) + ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	return mirror, nil
})

// builtMirror is the mirror builtProvider made, for TestMain to remove.
var builtMirror string

func goPlatform() string {
	out, err := exec.Command("go", "env", "GOOS", "GOARCH").Output()
	if err != nil {
		return "linux_amd64"
	}
	f := bytes.Fields(out)
	return string(f[0]) + "_" + string(f[1])
}

// builtDir is a working directory whose CLI installs the built provider.
type builtDir struct {
	t   *testing.T
	dir string
	rc  string
}

func newBuiltDir(t *testing.T) *builtDir {
	t.Helper()
	requireTerraform(t)
	mirror, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	w := &builtDir{t: t, dir: t.TempDir()}
	w.rc = filepath.Join(w.dir, ".terraformrc")
	rc := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hwc-terraform/hwc", "registry.opentofu.org/hwc-terraform/hwc"]
  }
  direct {
    exclude = ["registry.terraform.io/hwc-terraform/hwc", "registry.opentofu.org/hwc-terraform/hwc"]
  }
}
`, mirror)
	if err := os.WriteFile(w.rc, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

// write writes a file of the configuration.
func (w *builtDir) write(name string, src []byte) {
	w.t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI and returns its standard output; a failure fails the test.
func (w *builtDir) run(args ...string) string {
	w.t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = w.dir, &stdout, &stderr
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	if err := cmd.Run(); err != nil {
		w.t.Fatalf("%s %v: %v\n%s%s", filepath.Base(cmd.Path), args, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// vmHWM reads the peak resident set size of /proc/PID/status, in bytes.
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// tryMeasured is try, and the largest peak resident set size (VmHWM) any
// provider process the CLI started reported, in bytes: it watches the
// CLI's children whose executable is the built provider, so that runs in
// parallel do not see each other's.
func (w *builtDir) tryMeasured(env []string, args ...string) (string, int64, error) {
	w.t.Helper()
	mirror, err := builtProvider()
	if err != nil {
		w.t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = w.dir, &out, &out
	cmd.Env = append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"), env...)
	if err := cmd.Start(); err != nil {
		return "", 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, pid := range childrenIn(cmd.Process.Pid, mirror) {
			peak = max(peak, vmHWM(filepath.Join("/proc", pid, "status")))
		}
		select {
		case err := <-done:
			return out.String(), peak, err
		case <-tick.C:
		}
	}
}

// childrenIn are the processes whose parent is ppid and whose executable is
// below dir.
func childrenIn(ppid int, dir string) []string {
	var pids []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		b, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so read after its ")".
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(ppid) {
			continue
		}
		if exe, err := os.Readlink(filepath.Join(filepath.Dir(stat), "exe")); err == nil && strings.HasPrefix(exe, dir) {
			pids = append(pids, filepath.Base(filepath.Dir(stat)))
		}
	}
	return pids
}
