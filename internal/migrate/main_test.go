package migrate_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate/standin"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// TestMain runs the tests as the oracle, which plans converted
// configurations through the Terraform CLI, needs (providertest.Main); run
// as the stand-in of the official provider (installed by the -verify
// tests), it serves that instead.
func TestMain(m *testing.M) {
	if standin.IsPlugin() {
		if err := standin.Serve(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	os.Exit(providertest.Main(m))
}
