package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate/standin"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// TestMain runs the tests with the CLI the -verify tests drive
// (providertest.Main); run as the stand-in of the official provider, it
// serves that instead.
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

// verifyConfig is a root module of the official provider against the
// emulator at url, with body after its provider block.
func verifyConfig(url, body string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    huaweicloud = {
      source = "huaweicloud/huaweicloud"
    }
  }
}

provider "huaweicloud" {
  region     = %q
  access_key = %q
  secret_key = %q
  auth_url   = "%s/v3"
  endpoints = {
    ims = %q
  }
}
%s`, emulator.DefaultRegion, emulator.DefaultAccessKey, emulator.DefaultSecretKey, url, url, body)
}

// hwc-migrate -verify -w plans the original and the converted copy with
// the CLI on PATH, says how long each took, and writes the files only when
// the plans agree; a plan that fails writes nothing and exits 1. The
// user's directory holds no plan, state or .terraform afterwards.
func TestVerify(t *testing.T) {
	env := providertest.NewEmulator(t, emulator.Options{})
	w := providertest.NewBuiltDir(t)
	mirror := t.TempDir()
	if err := standin.Install(mirror, providertest.Platform()); err != nil {
		t.Fatal(err)
	}
	w.AddMirror(mirror, "huaweicloud/huaweicloud")
	t.Setenv("TF_CLI_CONFIG_FILE", w.CLIConfig())
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")

	agree := verifyConfig(env.URL, `
data "huaweicloud_images_image" "ubuntu" {
  os          = "Ubuntu"
  visibility  = "public"
  most_recent = true
}

output "image" {
  value = "${data.huaweicloud_images_image.ubuntu.id} ${data.huaweicloud_images_image.ubuntu.name} ${data.huaweicloud_images_image.ubuntu.min_disk_gb}"
}
`)
	dir := writeTree(t, map[string]string{"main.tf": agree})
	var stdout, stderr bytes.Buffer
	if status := run([]string{"-verify", "-w", "-terraform", cli, dir}, &stdout, &stderr); status != 0 {
		t.Fatalf("exit %d:\n%s", status, stderr.String())
	}
	for _, want := range []string{"planned the original with the official provider in ", "compared 1 outputs", "the plans agree"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the report does not say %q:\n%s", want, stderr.String())
		}
	}
	if got := read(t, filepath.Join(dir, "main.tf")); !strings.Contains(got, `data "hwc_ims_image" "ubuntu"`) {
		t.Errorf("the verified conversion was not written:\n%s", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("-verify left files in the directory: %v", entries)
	}

	// Several images and no most_recent: the official provider fails.
	fails := verifyConfig(env.URL, `
data "huaweicloud_images_image" "any" {
  os = "Ubuntu"
}
`)
	dir = writeTree(t, map[string]string{"main.tf": fails})
	stderr.Reset()
	if status := run([]string{"-verify", "-w", "-terraform", cli, dir}, &stdout, &stderr); status != 1 {
		t.Fatalf("exit %d, want 1:\n%s", status, stderr.String())
	}
	if !strings.Contains(stderr.String(), "planning the original configuration (official provider)") ||
		!strings.Contains(stderr.String(), "more than one result") || !strings.Contains(stderr.String(), "nothing was written") {
		t.Errorf("the report does not name the failed plan:\n%s", stderr.String())
	}
	if got := read(t, filepath.Join(dir, "main.tf")); got != fails {
		t.Errorf("a failed verification wrote the file:\n%s", got)
	}
}

// -verify takes one directory, and not -check.
func TestVerifyUsage(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": clean})
	for _, args := range [][]string{{"-verify", dir, dir}, {"-verify", filepath.Join(dir, "main.tf")}, {"-verify", "-check", dir}} {
		var stdout, stderr bytes.Buffer
		if status := run(args, &stdout, &stderr); status != 2 {
			t.Errorf("%v: exit %d, want 2:\n%s", args, status, stderr.String())
		}
	}
}
