package migrate_test

import (
	"os"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// TestMain runs the tests as the oracle, which plans converted
// configurations through the Terraform CLI, needs (providertest.Main).
func TestMain(m *testing.M) { os.Exit(providertest.Main(m)) }
