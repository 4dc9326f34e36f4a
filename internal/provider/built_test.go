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
		bin := filepath.Join(dir, builtBinary)
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

// builtBinary is the name of the built provider in the mirror.
const builtBinary = "terraform-provider-hwc_v0.0.1"

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

// tryMeasured runs the CLI, which may fail, and returns its output and the
// largest peak resident set size (VmHWM) any provider process it started
// reported, in bytes: it watches the processes below the CLI's whose
// executable is the built provider, so that runs in parallel do not see
// each other's.
func (w *builtDir) tryMeasured(env []string, args ...string) (string, int64, error) {
	w.t.Helper()
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
		for _, pid := range descendantsRunning(cmd.Process.Pid, builtBinary) {
			peak = max(peak, vmHWM(filepath.Join("/proc", pid, "status")))
		}
		select {
		case err := <-done:
			return out.String(), peak, err
		case <-tick.C:
		}
	}
}

// descendantsRunning are the processes below ppid (its children, theirs,
// …: Terraform 1.0 runs itself again as a child, whose child the provider
// is) whose executable is the built provider, or its copy under
// .terraform (Terraform 1.0 copies what newer CLIs link to).
func descendantsRunning(ppid int, name string) []string {
	parent := map[string]string{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		b, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so read after its ")".
		if fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:])); len(fields) >= 2 {
			parent[filepath.Base(filepath.Dir(stat))] = fields[1]
		}
	}
	root := strconv.Itoa(ppid)
	var pids []string
	for pid := range parent {
		below := false
		for p, hops := parent[pid], 0; p != "" && hops < 16 && !below; p, hops = parent[p], hops+1 {
			below = p == root
		}
		exe, err := os.Readlink(filepath.Join("/proc", pid, "exe"))
		if below && err == nil && filepath.Base(exe) == name {
			pids = append(pids, pid)
		}
	}
	return pids
}
