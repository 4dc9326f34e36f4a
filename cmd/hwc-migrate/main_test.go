package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const clean = `provider "huaweicloud" {
  region = "cn-north-4"
}

data "huaweicloud_images_image" "ubuntu" {
  os          = "Ubuntu"
  most_recent = true
}
`

// writeTree writes files (by slash path) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The exit status says what happened: 0 converted, 1 needs a person (or,
// with -check, would change), 2 usage or parse error, with nothing written.
func TestExitStatus(t *testing.T) {
	manual := clean + "output \"o\" {\n  value = data.huaweicloud_images_image.ubuntu\n}\n"
	broken := "data \"huaweicloud_images_image\" \"x\" {\n  name = \n}\n"
	for _, c := range []struct {
		name    string
		files   map[string]string
		args    []string
		status  int
		changed bool
		stderr  string
	}{
		{"diff", map[string]string{"main.tf": clean}, nil, 0, false, "converted: data \"huaweicloud_images_image\" \"ubuntu\""},
		{"write", map[string]string{"main.tf": clean}, []string{"-w"}, 0, true, "decision: ubuntu: most_recent"},
		{"check", map[string]string{"main.tf": clean}, []string{"-check"}, 1, false, "1 files would change"},
		{"needs a person", map[string]string{"main.tf": manual}, []string{"-w"}, 1, true, "main.tf:9: needs a person: data.hwc_ims_image.ubuntu is an image data source used whole"},
		{"parse error", map[string]string{"main.tf": clean, "broken.tf": broken}, []string{"-w"}, 2, false, "broken.tf:2"},
		{"no path", nil, []string{"-w"}, 2, false, "Usage: hwc-migrate [-w] [-check | -verify] [-recursive] PATH..."},
		{"-w and -check", map[string]string{"main.tf": clean}, []string{"-w", "-check"}, 2, false, "Usage:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, c.files)
			args := c.args
			if c.files != nil {
				args = append(args, dir)
			}
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != c.status {
				t.Errorf("status %d, want %d; stderr:\n%s", got, c.status, stderr.String())
			}
			if !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, stderr.String())
			}
			for name, src := range c.files {
				if changed := read(t, filepath.Join(dir, name)) != src; changed != (c.changed && name == "main.tf") {
					t.Errorf("%s changed: %v", name, changed)
				}
			}
			if c.name == "diff" && !strings.Contains(stdout.String(), "+data \"hwc_ims_image\" \"ubuntu\" {") {
				t.Errorf("no diff on stdout:\n%s", stdout.String())
			}
		})
	}
}

// A second run writes nothing and exits as the first did: a construct
// flagged the first time stays flagged by its mark, until a person
// removes the mark.
func TestSecondRun(t *testing.T) {
	manual := clean + "output \"o\" {\n  value = data.huaweicloud_images_image.ubuntu\n}\n"
	dir := writeTree(t, map[string]string{"main.tf": manual})
	var stdout, stderr bytes.Buffer
	if got := run([]string{"-w", dir}, &stdout, &stderr); got != 1 {
		t.Fatalf("first run: status %d\n%s", got, stderr.String())
	}
	first := read(t, filepath.Join(dir, "main.tf"))
	stderr.Reset()
	if got := run([]string{"-w", dir}, &stdout, &stderr); got != 1 {
		t.Errorf("second run: status %d, want 1\n%s", got, stderr.String())
	}
	if !strings.Contains(stderr.String(), "needs a person: data.hwc_ims_image.ubuntu is an image data source used whole") {
		t.Errorf("the second run does not report the mark:\n%s", stderr.String())
	}
	if read(t, filepath.Join(dir, "main.tf")) != first {
		t.Error("the second run changed the file")
	}
	// A person fixes the output and removes the mark: now it exits 0.
	fixed := strings.Replace(first, "value = data.hwc_ims_image.ubuntu\n", "value = data.hwc_ims_image.ubuntu.id\n", 1)
	var kept []string
	for _, l := range strings.SplitAfter(fixed, "\n") {
		if !strings.HasPrefix(l, "# hwc-migrate: needs a person:") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if got := run([]string{"-check", dir}, &stdout, &stderr); got != 0 {
		t.Errorf("after the fix: status %d, want 0\n%s", got, stderr.String())
	}
}

// -recursive converts the modules below, as one run (a module called by
// another inherits its providers); without it, the directories below that
// use the official data sources are named and the run needs a person.
func TestRecursive(t *testing.T) {
	files := map[string]string{
		"main.tf":                clean + "\nmodule \"images\" {\n  source = \"./modules/images\"\n}\n",
		"modules/images/main.tf": "data \"huaweicloud_images_images\" \"all\" {\n  os = \"Ubuntu\"\n}\n",
		"modules/other/main.tf":  "variable \"x\" {}\n",
	}
	dir := writeTree(t, files)
	var stdout, stderr bytes.Buffer
	if got := run([]string{dir}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "modules:1: needs a person: this directory below") {
		t.Errorf("without -recursive: status %d\n%s", got, stderr.String())
	}
	stderr.Reset()
	if got := run([]string{"-recursive", "-w", dir}, &stdout, &stderr); got != 0 {
		t.Errorf("with -recursive: status %d\n%s", got, stderr.String())
	}
	child := read(t, filepath.Join(dir, "modules/images/main.tf"))
	if !strings.Contains(child, `data "hwc_ims_images" "all"`) || strings.Contains(child, `provider "hwc"`) {
		t.Errorf("the child module, which inherits its provider, was converted as:\n%s", child)
	}
	if read(t, filepath.Join(dir, "modules/other/main.tf")) != files["modules/other/main.tf"] {
		t.Error("a module without official data sources changed")
	}
}

// A .tf.json file that uses the official data sources is named, and the
// run needs a person; one that does not is left alone.
func TestJSON(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.tf":           clean,
		"images.tf.json":    `{"data": {"huaweicloud_images_image": {"x": {"name": "a"}}}}`,
		"variables.tf.json": `{"variable": {"region": {}}}`,
	})
	var stdout, stderr bytes.Buffer
	if got := run([]string{dir}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "images.tf.json:1: needs a person: a JSON configuration file") {
		t.Errorf("status %d\n%s", got, stderr.String())
	}
	if strings.Contains(stderr.String(), "variables.tf.json") {
		t.Errorf("a JSON file without official data sources is reported:\n%s", stderr.String())
	}
}

// A directory below another that is named too is converted, not reported
// as left out (hwc-migrate -w . modules/img).
func TestNamedSubdirectoryIsNotReportedAsLeftOut(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": clean, "modules/img/main.tf": "data \"huaweicloud_images_image\" \"y\" {\n  name = \"a\"\n}\n"})
	var stdout, stderr bytes.Buffer
	run([]string{dir, filepath.Join(dir, "modules", "img")}, &stdout, &stderr)
	if strings.Contains(stderr.String(), "was not converted") || !strings.Contains(stderr.String(), "modules/img/main.tf:1: converted") {
		t.Errorf("%s", stderr.String())
	}
}

// A generated file is never edited: one that uses the official provider or
// its data sources is named with its generator, and the run needs a person
// (CDK for Terraform's cdk.tf.json alone in its directory included).
func TestGeneratedFilesAreNeverEdited(t *testing.T) {
	provider := "# Generated by Terragrunt. Sig: nIlQXj57tbuaRZEa\nprovider \"huaweicloud\" {\n  region = \"cn-north-4\"\n}\n"
	images := "// Code generated by imagegen. DO NOT EDIT.\n\ndata \"huaweicloud_images_image\" \"x\" {\n  name = \"a\"\n}\n"
	for name, files := range map[string]map[string]string{
		"terragrunt": {"provider.tf": provider, "main.tf": clean},
		"go header":  {"images.tf": images, "main.tf": clean},
		"cdktf":      {"cdk.tf.json": `{"data": {"huaweicloud_images_image": {"x": {"name": "a"}}}}`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeTree(t, files)
			var stdout, stderr bytes.Buffer
			if got := run([]string{"-w", dir}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "needs a person: this file is generated by") {
				t.Errorf("status %d\n%s", got, stderr.String())
			}
			for f, src := range files {
				if f != "main.tf" && read(t, filepath.Join(dir, f)) != src {
					t.Errorf("the generated %s was edited", f)
				}
			}
		})
	}
}

// A file that is a link to a file outside the directories named is never
// written: its module is left as it is, and reported. A link inside them is
// written through.
func TestLinks(t *testing.T) {
	outside := writeTree(t, map[string]string{"shared.tf": clean})
	dir := writeTree(t, map[string]string{"main.tf": "variable \"x\" {}\n"})
	if err := os.Symlink(filepath.Join(outside, "shared.tf"), filepath.Join(dir, "shared.tf")); err != nil {
		t.Skip(err)
	}
	var stdout, stderr bytes.Buffer
	if got := run([]string{"-w", dir}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "outside the directories named") {
		t.Errorf("status %d\n%s", got, stderr.String())
	}
	if read(t, filepath.Join(outside, "shared.tf")) != clean || read(t, filepath.Join(dir, "main.tf")) != "variable \"x\" {}\n" {
		t.Error("a file was written through a link to outside")
	}
	inside := writeTree(t, map[string]string{"real/images.tf": clean, "main.tf": "variable \"x\" {}\n"})
	if err := os.Symlink(filepath.Join(inside, "real", "images.tf"), filepath.Join(inside, "images.tf")); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	run([]string{"-w", "-recursive", inside}, &stdout, &stderr)
	if info, err := os.Lstat(filepath.Join(inside, "images.tf")); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link inside was replaced by a file: %v", err)
	}
	if !strings.Contains(read(t, filepath.Join(inside, "real", "images.tf")), "hwc_ims_image") {
		t.Errorf("the file a link inside points to was not converted:\n%s", stderr.String())
	}
}

// -w never replaces a file that changed on disk after it was read: nothing
// is written, exit 1.
func TestWriteNeverReplacesAFileChangedOnDisk(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tf"), filepath.Join(dir, "b.tf")
	for _, f := range []string{a, b} {
		if err := os.WriteFile(f, []byte("as read"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(b, []byte("edited since"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeAll(map[string][]byte{a: []byte("converted"), b: []byte("converted")}, func(string) []byte { return []byte("as read") })
	if !errors.As(err, new(errChanged)) || read(t, a) != "as read" || read(t, b) != "edited since" {
		t.Errorf("writeAll = %v; a.tf %q, b.tf %q", err, read(t, a), read(t, b))
	}
}

// -w leaves a read-only file, and its module, as they are: exit 1, named.
func TestWriteLeavesReadOnlyFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{"images.tf": clean})
	name := filepath.Join(dir, "images.tf")
	if err := os.Chmod(name, 0o444); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if got := run([]string{"-w", dir}, &stdout, &stderr); got != 1 || !strings.Contains(stderr.String(), "the file is read-only") {
		t.Errorf("status %d\n%s", got, stderr.String())
	}
	if info, _ := os.Stat(name); read(t, name) != clean || info.Mode().Perm() != 0o444 {
		t.Errorf("the read-only file was replaced (mode %v)", info.Mode().Perm())
	}
}

// -w writes every file or none: when one cannot be written, the others
// are left as they were.
func TestWriteAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "a.tf")
	if err := os.WriteFile(first, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := writeAll(map[string][]byte{first: []byte("new"), filepath.Join(dir, "missing", "b.tf"): []byte("new")},
		func(string) []byte { return []byte("old") })
	if err == nil {
		t.Fatal("writing into a directory that does not exist succeeded")
	}
	if read(t, first) != "old" {
		t.Error("a.tf was written although b.tf could not be")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files were left: %v", entries)
	}
}
