package main

import (
	"bytes"
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

func writeTF(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The exit status says what happened: 0 converted, 1 needs a person, 2
// usage or parse error, with nothing written.
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
		{"needs a person", map[string]string{"main.tf": manual}, []string{"-w"}, 1, true, "main.tf:10: needs a person: data.huaweicloud_images_image.ubuntu is used as a whole object"},
		{"parse error", map[string]string{"main.tf": clean, "broken.tf": broken}, []string{"-w"}, 2, false, "broken.tf:2"},
		{"no path", nil, []string{"-w"}, 2, false, "Usage: hwc-migrate [-w] PATH..."},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTF(t, c.files)
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
				now, _ := os.ReadFile(filepath.Join(dir, name))
				if changed := string(now) != src; changed != (c.changed && name == "main.tf") {
					t.Errorf("%s changed: %v", name, changed)
				}
			}
			if c.name == "diff" && !strings.Contains(stdout.String(), "+data \"hwc_ims_image\" \"ubuntu\" {") {
				t.Errorf("no diff on stdout:\n%s", stdout.String())
			}
		})
	}
}
