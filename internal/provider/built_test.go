package provider

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// The peak memory of the provider processes a CLI starts, for the memory
// tests: what the built provider (providertest.BuiltDir) took.

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
func tryMeasured(w *providertest.BuiltDir, env []string, args ...string) (string, int64, error) {
	var out bytes.Buffer
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = w.Dir(), &out, &out
	cmd.Env = append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.CLIConfig(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"), env...)
	if err := cmd.Start(); err != nil {
		return "", 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var peak int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, pid := range descendantsRunning(cmd.Process.Pid, providertest.BuiltBinary) {
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
