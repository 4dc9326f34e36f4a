package providertest

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

// Main runs a package's tests as the provider's tests need them to run,
// and returns the exit code: with the CLI found (FindCLI), a CLI
// configuration file that exists (without one, OpenTofu 1.12 warns on
// every command, `version -json` included, whose output the test framework
// parses; the tests need none), none of the developer's own HW_* settings
// (unless TF_ACC runs the tests against the cloud), and the ECS metadata
// API of a configuration without credentials at a loopback port nothing
// listens on, never the link-local address. It removes the built provider
// afterwards (NewBuiltDir).
func Main(m *testing.M) int {
	FindCLI()
	rcPath := ""
	if _, err := os.Stat(os.Getenv("TF_CLI_CONFIG_FILE")); err != nil {
		rc, err := os.CreateTemp("", "hwc-test-*.tfrc")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		_ = rc.Close()
		rcPath = rc.Name()
		_ = os.Setenv("TF_CLI_CONFIG_FILE", rcPath)
		defer func() { _ = os.Remove(rcPath) }()
	}
	if os.Getenv("TF_ACC") == "" {
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "HW_") {
				_ = os.Unsetenv(name)
			}
		}
	}
	if os.Getenv("HW_METADATA_ENDPOINT") == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		_ = ln.Close()
		_ = os.Setenv("HW_METADATA_ENDPOINT", "http://"+ln.Addr().String())
	}
	defer RemoveBuilt()
	return m.Run()
}
