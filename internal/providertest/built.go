package providertest

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
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
		dir := filepath.Join(mirror, host, "hwc-terraform", "hwc", "0.0.1", Platform())
		bin := filepath.Join(dir, BuiltBinary)
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = ".." + string(filepath.Separator) + ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	return mirror, nil
})

// builtMirror is the mirror builtProvider made, for RemoveBuilt.
var builtMirror string

// RemoveBuilt removes the built provider, if a test built it: TestMain
// calls it once the tests have run.
func RemoveBuilt() {
	if builtMirror != "" {
		_ = os.RemoveAll(builtMirror)
	}
}

// BuiltBinary is the name of the built provider in the mirror.
const BuiltBinary = "terraform-provider-hwc_v0.0.1"

// Platform is the GOOS_GOARCH of the go command, as a mirror lays it out.
func Platform() string {
	out, err := exec.Command("go", "env", "GOOS", "GOARCH").Output()
	if err != nil {
		return "linux_amd64"
	}
	f := bytes.Fields(out)
	return string(f[0]) + "_" + string(f[1])
}

// BuiltDir is a working directory whose CLI installs the built provider
// (hwc-terraform/hwc 0.0.1) from a filesystem mirror.
type BuiltDir struct {
	t   *testing.T
	dir string
	rc  string
	// mirrors are the filesystem mirrors the CLI installs from, each with
	// the providers (namespace/type) it holds.
	mirrors map[string][]string
}

// NewBuiltDir builds the provider, once a test binary, and makes a working
// directory whose CLI configuration installs it.
func NewBuiltDir(t *testing.T) *BuiltDir {
	t.Helper()
	RequireCLI(t)
	mirror, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	w := &BuiltDir{t: t, dir: t.TempDir(), mirrors: map[string][]string{}}
	w.rc = filepath.Join(w.dir, ".terraformrc")
	w.AddMirror(mirror, "hwc-terraform/hwc")
	return w
}

// AddMirror has the CLI install the providers named (namespace/type) from
// the filesystem mirror at path, and nothing else from it.
func (w *BuiltDir) AddMirror(path string, providers ...string) {
	w.t.Helper()
	w.mirrors[path] = providers
	var rc, all strings.Builder
	rc.WriteString("provider_installation {\n")
	for _, mirror := range slices.Sorted(maps.Keys(w.mirrors)) {
		var include []string
		for _, p := range w.mirrors[mirror] {
			for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
				include = append(include, strconv.Quote(host+"/"+p))
			}
		}
		fmt.Fprintf(&rc, "  filesystem_mirror {\n    path    = %q\n    include = [%s]\n  }\n", mirror, strings.Join(include, ", "))
		if all.Len() > 0 {
			all.WriteString(", ")
		}
		all.WriteString(strings.Join(include, ", "))
	}
	fmt.Fprintf(&rc, "  direct {\n    exclude = [%s]\n  }\n}\n", all.String())
	if err := os.WriteFile(w.rc, []byte(rc.String()), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Dir is the directory's path; CLIConfig is the path of its CLI
// configuration file (TF_CLI_CONFIG_FILE).
func (w *BuiltDir) Dir() string       { return w.dir }
func (w *BuiltDir) CLIConfig() string { return w.rc }

// Write writes a file of the configuration.
func (w *BuiltDir) Write(name string, src []byte) {
	w.t.Helper()
	path := filepath.Join(w.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, src, 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Run runs the CLI and returns its standard output; a failure fails the test.
func (w *BuiltDir) Run(args ...string) string {
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
