package migrate_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate/standin"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// This file holds a test that a configuration of the official provider's
// image data sources, converted by hwc-migrate, reads through terraform
// what the model of the official provider (package standin) says it read.

// Enterprise projects of the emulator's private images.
const (
	epsA = "9f2d1b3a-6c4e-4f8a-b2d0-3e5f7a9c1b2d"
	epsB = "4b8e2f1a-7d3c-4a9e-8f0b-1c2d3e4f5a6b"
)

// officialBlock is a data source of the official provider, as a user
// writes it: its arguments as HCL literals.
type officialBlock struct {
	plural bool
	name   string
	args   map[string]string // argument → literal value
}

// oracleCorpus covers every argument the official data sources send, both
// defaults and explicit sorts, most_recent over images whose update and
// creation orders disagree, name_regex, and images updated in the same
// second.
var oracleCorpus = []officialBlock{
	{false, "ubuntu_newest", map[string]string{"os": "Ubuntu", "visibility": "public", "most_recent": "true"}},
	// Updated last and created last are two images here (x86 and ARM).
	{false, "debian", map[string]string{"os": "Debian", "visibility": "public", "most_recent": "true"}},
	{false, "shared_ubuntu", map[string]string{"os": "Ubuntu", "visibility": "shared", "most_recent": "true"}},
	{false, "centos_arm", map[string]string{"name_regex": "^CentOS 7", "architecture": "arm", "most_recent": "true", "os_version": "CentOS 7.9 64bit"}},
	{false, "exact", map[string]string{"name": "webapp-3.4.9", "visibility": "private"}},
	{false, "shared", map[string]string{"visibility": "shared", "most_recent": "true", "owner": emulator.SharerOwner}},
	{false, "tagged", map[string]string{"visibility": "private", "tag": "env=prod", "name_regex": "^api-gateway-", "most_recent": "true"}},
	{false, "fast", map[string]string{"flavor_id": "c7.large.2", "image_type": "FusionCompute", "most_recent": "true", "sort_key": "created_at"}},
	{false, "tie_small", map[string]string{"name_regex": "^tie-small-", "most_recent": "true"}},
	{false, "tie_large", map[string]string{"name_regex": "^tie-large-", "most_recent": "true"}},
	{true, "centos", map[string]string{"os": "CentOS", "visibility": "public"}},
	{true, "market_newest_first", map[string]string{"visibility": "market", "sort_key": "created_at", "sort_direction": "desc"}},
	{true, "webapp", map[string]string{"visibility": "private", "tag": "app=webapp", "name_regex": "^webapp-1\\\\."}},
	{true, "whole", map[string]string{"is_whole_image": "true", "visibility": "private", "enterprise_project_id": "0"}},
	{true, "bms", map[string]string{"image_type": "Ironic", "sort_key": "id"}},
	{true, "everything_arm", map[string]string{"architecture": "arm", "image_type": "FusionCompute"}},
	{true, "private", map[string]string{"visibility": "private"}},
}

// The attributes each output reads of a selected image: the singular's
// and an element of the plural's.
var singularReads, elementReads = standin.SingularReads, standin.ElementReads

// tieCatalog is the default catalog and images updated in the same second:
// a few (which Go's sort.Sort orders by insertion, keeping the last of the
// API's order) and many (which it orders otherwise). Their ids fall as their
// names rise, so that the larger id is never the last one.
func tieCatalog() *emulator.Catalog {
	base := emulator.DefaultCatalog()
	c := &emulator.Catalog{MarketImages: base.MarketImages}
	for _, img := range base.Images {
		c.Images = append(c.Images, maps.Clone(img))
	}
	template := c.Images[slices.IndexFunc(c.Images, func(img emulator.Image) bool {
		return img["status"] == "active" && img["__imagetype"] == "gold" && img["__os_type"] == "Linux"
	})]
	for i := range 40 {
		group, n := "small", i
		if i >= 5 {
			group, n = "large", i-5
		}
		img := maps.Clone(template)
		img["id"] = fmt.Sprintf("%08x-1a2b-4c3d-8e4f-5a6b7c8d9e0f", 0xffffffff-i)
		img["name"] = fmt.Sprintf("tie-%s-%02d", group, n)
		img["updated_at"] = "2025-05-01T10:00:00Z"
		if n%3 == 1 {
			img["updated_at"] = "2025-04-01T10:00:00Z"
		}
		delete(img, "max_ram")
		delete(img, "__description")
		c.Images = append(c.Images, img)
	}
	return c
}

// official is the model of what the official provider selects (package
// standin), over the emulator at emu.
type official struct {
	t   *testing.T
	emu string
}

// selectImages is what a block selects with the provider's enterprise
// project providerEPS.
func (o official) selectImages(blk officialBlock, providerEPS string) []map[string]any {
	o.t.Helper()
	images, err := standin.Select(o.emu, blk.model(), providerEPS)
	if err != nil {
		o.t.Fatal(err)
	}
	return images
}

// model is the block as the stand-in reads it: its values, not HCL
// literals (a backslash is escaped in these).
func (b officialBlock) model() standin.Block {
	args := map[string]string{}
	for k, v := range b.args {
		args[k] = strings.ReplaceAll(v, `\\`, `\`)
	}
	return standin.Block{Plural: b.plural, Name: b.name, Args: args}
}

var textOf, officialRead = standin.TextOf, standin.Read

// oracleFiles is the corpus as the files of a configuration of the official
// provider pointed at the emulator: the blocks in the root module, with an
// output of what each reads, and a child module called with the default
// provider, with an aliased one that sets an enterprise project, and with
// variables that are null.
func oracleFiles(emu string, corpus bool) map[string]string {
	provider := fmt.Sprintf(`  region     = %q
  access_key = %q
  secret_key = %q
  auth_url   = "%s/v3"
  endpoints = {
    ims = %q
  }
`, emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, emu, emu)
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

provider "huaweicloud" {
%s}

provider "huaweicloud" {
  alias                 = "eps"
  enterprise_project_id = %q
%s}

module "child" {
  source = "./child"
}

module "child_eps" {
  source = "./child"
  providers = {
    huaweicloud = huaweicloud.eps
  }
}

module "nulls" {
  source = "./child"
  providers = {
    huaweicloud = huaweicloud
  }
  enterprise_project_id = null
  sort_key              = null
}

output "child" {
  value = module.child.ids
}

output "child_eps" {
  value = module.child_eps.ids
}

output "nulls" {
  value = module.nulls.ids
}

module "empty_sort" {
  source   = "./child"
  sort_key = ""
}

output "empty_sort" {
  value = module.empty_sort.ids
}

output "child_values" {
  value = module.child.values
}

`, provider, epsA, provider)
	if !corpus {
		return map[string]string{"main.tf": b.String(), "child/main.tf": oracleChild}
	}
	b.WriteString(`
output "each" {
  value = { for k, m in module.each : k => m.value }
}

module "each" {
  source   = "./echo"
  for_each = { for img in data.huaweicloud_images_images.centos.images : img.id => img }
  value    = "${each.value.os} ${each.value.max_ram_mb} ${each.value.visibility}"
}

output "template" {
  value = <<-EOT
    %{ for img in data.huaweicloud_images_images.webapp.images ~}
    ${img.name}: ${img.os} ${img.description}
    %{ endfor ~}
  EOT
}
`)
	for _, blk := range oracleCorpus {
		typ, value := "huaweicloud_images_image", "{\n"
		reads := singularReads
		if blk.plural {
			typ, value = "huaweicloud_images_images", "[for image in data.huaweicloud_images_images.%[1]s.images : {\n"
			reads = elementReads
		}
		fmt.Fprintf(&b, "\ndata %q %q {\n", typ, blk.name)
		for _, k := range slices.Sorted(maps.Keys(blk.args)) {
			v := blk.args[k]
			if v != "true" && v != "1" {
				v = `"` + v + `"`
			}
			fmt.Fprintf(&b, "  %s = %s\n", k, v)
		}
		fmt.Fprintf(&b, "}\n\noutput %[1]q {\n  value = "+value, blk.name)
		for _, attr := range reads {
			if blk.plural {
				fmt.Fprintf(&b, "    %q = image.%s\n", attr, attr)
			} else {
				fmt.Fprintf(&b, "    %q = data.%s.%s.%s\n", attr, typ, blk.name, attr)
			}
		}
		if blk.plural {
			b.WriteString("  }]\n}\n")
		} else {
			b.WriteString("  }\n}\n")
		}
	}
	return map[string]string{"main.tf": b.String(), "child/main.tf": oracleChild, "echo/main.tf": oracleEcho}
}

const oracleChild = `terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

variable "enterprise_project_id" {
  type    = string
  default = null
}

variable "sort_key" {
  type    = string
  default = null
}

data "huaweicloud_images_images" "private" {
  visibility            = "private"
  enterprise_project_id = var.enterprise_project_id
  sort_key              = var.sort_key
}

output "ids" {
  value = data.huaweicloud_images_images.private.images[*].id
}

output "values" {
  value = [for i in data.huaweicloud_images_images.private.images : [i.max_ram_mb, i.description, i.enterprise_project_id]]
}
`

const oracleEcho = `variable "value" {
  type = string
}

output "value" {
  value = var.value
}
`

// withoutOfficialProvider removes the huaweicloud provider from converted
// files: it cannot be installed here, and once hwc-migrate has run nothing
// of the corpus uses it.
func withoutOfficialProvider(src []byte) []byte {
	out := regexp.MustCompile(`(?ms)^provider "huaweicloud" \{\n.*?^\}\n`).ReplaceAll(src, nil)
	out = regexp.MustCompile(`(?ms)^    huaweicloud = \{\n.*?^    \}\n`).ReplaceAll(out, nil)
	return regexp.MustCompile(`(?m)^ *huaweicloud = huaweicloud(\.eps)?\n`).ReplaceAll(out, nil)
}

// A configuration of the official provider's image data sources, converted
// by hwc-migrate, reads through terraform exactly what the official provider
// would: the same ids in the same order and the same values, in the root
// module and in a child module called with the default provider, an aliased
// one with an enterprise project and null arguments, with the enterprise
// project left to the defaults and then set by HW_ENTERPRISE_PROJECT_ID;
// where images updated in the same second tie, hwc keeps the image the
// official sort.Sort keeps, and says nothing.
func TestMigrate_selectsWhatTheOfficialProviderSelects(t *testing.T) {
	env := providertest.NewEmulator(t, emulator.Options{Catalog: tieCatalog()})
	o := official{t: t, emu: env.URL}
	// The whole corpus with the enterprise project left to the defaults; the
	// modules alone with HW_ENTERPRISE_PROJECT_ID set (with it, most of the
	// corpus selects nothing, for either provider).
	for _, envEPS := range []string{"", epsB} {
		t.Run("HW_ENTERPRISE_PROJECT_ID="+envEPS, func(t *testing.T) {
			t.Setenv("HW_ENTERPRISE_PROJECT_ID", envEPS)
			o.t = t
			w := migratedDir(t, oracleFiles(env.URL, envEPS == ""))
			// -json keeps each warning whole: the human output folds warnings
			// of the same summary into one.
			applied := w.Run("apply", "-auto-approve", "-input=false", "-no-color", "-json")
			o.compare(w, envEPS, applied)
		})
	}
}

// migratedDir converts a configuration of the official provider with
// hwc-migrate and writes it, without the official provider, to a working
// directory that installs the built provider.
func migratedDir(t *testing.T, files map[string]string) *providertest.BuiltDir {
	w := providertest.NewBuiltDir(t)
	modules := map[string]map[string][]byte{}
	for name, src := range files {
		dir := filepath.ToSlash(filepath.Dir(filepath.Join("root", name)))
		if modules[dir] == nil {
			modules[dir] = map[string][]byte{}
		}
		modules[dir][filepath.ToSlash(filepath.Join("root", name))] = []byte(src)
	}
	res, err := migrate.Convert(migrate.Input{Modules: modules, Roots: map[string]bool{"root": true}})
	if err != nil {
		t.Fatal(err)
	}
	if res.NeedsPerson() {
		t.Fatalf("the corpus needs a person: %v", res.Notes)
	}
	for _, files := range modules {
		for name, src := range files {
			if out, ok := res.Files[name]; ok {
				src = out
			}
			w.Write(strings.TrimPrefix(name, "root/"), withoutOfficialProvider(src))
		}
	}
	w.Run("init", "-input=false", "-no-color")
	return w
}

// compare checks every output against the model.
func (o official) compare(w *providertest.BuiltDir, envEPS, applyOutput string) {
	var outputs map[string]struct{ Value any }
	if err := json.Unmarshal([]byte(w.Run("output", "-json")), &outputs); err != nil {
		o.t.Fatal(err)
	}
	want := map[string]any{}
	o.children(want, envEPS)
	if envEPS != "" {
		o.check(outputs, want)
		return
	}
	o.corpus(want, envEPS, applyOutput)
	o.check(outputs, want)
}

// check compares the outputs with what the model wants.
func (o official) check(outputs map[string]struct{ Value any }, want map[string]any) {
	for name, value := range want {
		if got := outputs[name].Value; !reflect.DeepEqual(normalize(got), normalize(value)) {
			o.t.Errorf("%s: hwc reads\n%v\nthe official provider\n%v", name, short(got), short(value))
		}
	}
}

// corpus adds what the blocks of the corpus read, and the outputs that
// read images through each.value and a template.
func (o official) corpus(want map[string]any, envEPS, applyOutput string) {
	t := o.t
	for _, blk := range oracleCorpus {
		images := o.selectImages(blk, envEPS)
		if len(images) == 0 {
			t.Errorf("%s: the corpus must select something", blk.name)
			continue
		}
		if !blk.plural {
			want[blk.name] = o.singular(blk, images[0], applyOutput)
			continue
		}
		var list []any
		for _, img := range images {
			values := map[string]any{}
			for _, attr := range elementReads {
				values[attr] = officialRead(img, attr)
			}
			list = append(list, values)
		}
		want[blk.name] = list
	}
	each := map[string]any{}
	var template strings.Builder
	for _, img := range o.selectImages(oracleCorpus[10], envEPS) {
		each[textOf(img, "id")] = fmt.Sprintf("%s %v %s", officialRead(img, "os"), officialRead(img, "max_ram_mb"), officialRead(img, "visibility"))
	}
	for _, img := range o.selectImages(oracleCorpus[12], envEPS) {
		fmt.Fprintf(&template, "    %s: %s %s\n", officialRead(img, "name"), officialRead(img, "os"), officialRead(img, "description"))
	}
	want["each"] = each
	want["template"] = template.String()
}

// singular is what the official provider reads of the image a singular
// selects. Where images updated in the same second tie (tie_small,
// tie_large), the converted configuration keeps the official provider's
// pick too, so hwc's warning that it would not must never be printed.
func (o official) singular(blk officialBlock, img map[string]any, applyOutput string) map[string]any {
	values := map[string]any{}
	for _, attr := range singularReads {
		values[attr] = officialRead(img, attr)
	}
	values["checksum"] = nil
	if strings.Contains(applyOutput, "Not the Image the Official Provider Would Pick") {
		o.t.Errorf("%s: the apply of a converted configuration warns that hwc does not pick the official provider's image:\n%s", blk.name, short(applyOutput))
	}
	return values
}

// children adds what the child module reads with each provider.
func (o official) children(want map[string]any, envEPS string) {
	private := officialBlock{true, "private", map[string]string{"visibility": "private"}}
	ids := func(blk officialBlock, providerEPS string) []any {
		var out []any
		for _, img := range o.selectImages(blk, providerEPS) {
			out = append(out, textOf(img, "id"))
		}
		return out
	}
	want["child"] = ids(private, envEPS)
	want["child_eps"] = ids(private, epsA)
	want["nulls"] = ids(private, envEPS)
	want["empty_sort"] = ids(officialBlock{true, "private", map[string]string{"visibility": "private", "sort_key": ""}}, envEPS)
	var values []any
	for _, img := range o.selectImages(private, envEPS) {
		values = append(values, []any{officialRead(img, "max_ram_mb"), officialRead(img, "description"), officialRead(img, "enterprise_project_id")})
	}
	want["child_values"] = values
}

// normalize makes JSON values comparable (numbers as float64).
func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
