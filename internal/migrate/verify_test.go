package migrate_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate/standin"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// verifyClasses are blocks where the official provider reads values as
// Terraform gives them, and where a converter without its rule would plan
// another value: an untyped variable set to "true" in the environment (class
// 3), an empty sort_key that sends nothing (3), the singular's checksum,
// which it never sets (4), and images updated in the same second (5).
const verifyClasses = `
variable "whole" {}

variable "sort_key" {
  type    = string
  default = ""
}

data "huaweicloud_images_images" "untyped_true" {
  visibility            = "private"
  enterprise_project_id = "0"
  is_whole_image        = var.whole
}

output "untyped_true" {
  value = data.huaweicloud_images_images.untyped_true.images[*].id
}

data "huaweicloud_images_images" "empty_sort_key" {
  visibility = "private"
  sort_key   = var.sort_key
}

output "empty_sort_key" {
  value = data.huaweicloud_images_images.empty_sort_key.images[*].id
}

data "huaweicloud_images_image" "checksum" {
  name = "webapp-3.4.9"
}

output "checksum" {
  value = data.huaweicloud_images_image.checksum.checksum
}

data "huaweicloud_images_image" "tie" {
  name_regex  = "^tie-large-"
  most_recent = true
}

output "tie" {
  value = data.huaweicloud_images_image.tie.id
}

resource "terraform_data" "server" {
  input = {
    image_id = data.huaweicloud_images_image.tie.id
    name     = data.huaweicloud_images_image.tie.name
  }
}
`

// verifyOverrides is an override file (class 2): Terraform merges it into
// the aliased provider's block and the corpus's "private" data source.
var verifyOverrides = `provider "huaweicloud" {
  alias                 = "eps"
  enterprise_project_id = "` + epsB + `"
}

data "huaweicloud_images_images" "private" {
  sort_key       = "created_at"
  sort_direction = "desc"
}
`

// Each rule of the converter for the classes above, switched off in its
// output: what the converter wrote before the rule existed.
var rulesOff = []struct {
	output string
	from   *regexp.Regexp
	to     string
}{
	{"untyped_true", regexp.MustCompile(`tobool\(var\.whole\) == true`), "var.whole == true"},
	{"empty_sort_key", regexp.MustCompile(`sort_key += var\.sort_key == null .*`), `sort_key = coalesce(var.sort_key, "name")`},
	{"checksum", regexp.MustCompile(`value = null`), "value = data.hwc_ims_image.checksum.checksum"},
	{"tie", regexp.MustCompile(`\n *tie_break += "official"`), ""},
}

// hwc-migrate -verify plans a configuration of the official provider (the
// stand-in) and its conversion: on the whole oracle corpus, with the
// classes above and an override file, they plan the same; with each rule of
// the converter for the classes 2 to 5 switched off, the plans differ on the
// outputs that rule keeps, and on nothing else, and a managed resource that
// reads the tied image differs too.
func TestMigrate_verify(t *testing.T) {
	env := providertest.NewEmulator(t, emulator.Options{Catalog: tieCatalog()})
	w := providertest.NewBuiltDir(t)
	mirror := t.TempDir()
	if err := standin.Install(mirror, providertest.Platform()); err != nil {
		t.Fatal(err)
	}
	w.AddMirror(mirror, "huaweicloud/huaweicloud")
	t.Setenv("TF_CLI_CONFIG_FILE", w.CLIConfig())
	t.Setenv("TF_VAR_whole", "true")
	// terraform_data came with Terraform 1.4 (OpenTofu has it from 1.6, its
	// first release).
	terraformData := !regexp.MustCompile(`^Terraform v1\.[0-3]\.`).MatchString(providertest.CLIVersion())
	classes := verifyClasses
	if !terraformData {
		classes = classes[:strings.Index(classes, `resource "terraform_data"`)]
	}
	root := filepath.Join(w.Dir(), "root")
	modules := map[string]map[string][]byte{}
	files := oracleFiles(env.URL, true)
	files["corpus_override.tf"] = verifyOverrides
	for name, src := range files {
		if name == "main.tf" {
			src += classes
		}
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(path)
		if modules[dir] == nil {
			modules[dir] = map[string][]byte{}
		}
		modules[dir][path] = []byte(src)
	}
	res, err := migrate.Convert(migrate.Input{Modules: modules, Roots: map[string]bool{root: true}})
	if err != nil || res.NeedsPerson() {
		t.Fatal(err, res.Notes)
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	v, err := migrate.Verify(context.Background(), migrate.VerifyInput{CLI: cli, Root: root, Files: res.Files})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Differences) > 0 || v.Outputs < 20 || terraformData && v.Resources != 1 {
		t.Fatalf("the conversion plans %d outputs and %d resources, with differences:\n%v", v.Outputs, v.Resources, v.Differences)
	}

	main := filepath.Join(root, "main.tf")
	converted := string(res.Files[main])
	at := strings.Index(converted, `variable "whole"`)
	off := converted[at:]
	for _, r := range rulesOff {
		if !r.from.MatchString(off) {
			t.Fatalf("the converter's output has no %s", r.from)
		}
		off = r.from.ReplaceAllString(off, r.to)
	}
	res.Files[main] = []byte(converted[:at] + off)
	// Class 2 with its rule off: the override file's hwc blocks are gone, as
	// if hwc-migrate had ignored it.
	override := filepath.Join(root, "corpus_override.tf")
	hwcBlocks := regexp.MustCompile(`(?ms)^(# hwc-migrate: [^\n]*\n)*(provider "hwc"|data "hwc_ims_images" "private") \{\n.*?^\}\n`)
	if n := len(hwcBlocks.FindAllIndex(res.Files[override], -1)); n != 2 {
		t.Fatalf("the converted override file has %d hwc blocks, want 2:\n%s", n, res.Files[override])
	}
	res.Files[override] = hwcBlocks.ReplaceAll(res.Files[override], nil)
	v, err = migrate.Verify(context.Background(), migrate.VerifyInput{CLI: cli, Root: root, Files: res.Files})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("with the rules off: official plan %s, hwc plan %s, %d outputs and %d resources compared, %d differences", v.Official, v.Converted, v.Outputs, v.Resources, len(v.Differences))
	var differ []string
	for _, d := range v.Differences {
		differ = append(differ, d.Address)
	}
	want := []string{"output.checksum", "output.child_eps", "output.empty_sort_key", "output.private", "output.tie", "output.untyped_true"}
	if terraformData {
		want = append(want, "terraform_data.server")
	}
	if got := slices.Compact(slices.Sorted(slices.Values(differ))); !slices.Equal(got, want) {
		t.Errorf("with the rules off, the plans differ on %v, want %v:\n%v", got, want, v.Differences)
	}
}
