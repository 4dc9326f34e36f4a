// Command hwc-migrate converts configurations that select images with the
// official provider's huaweicloud_images_image and huaweicloud_images_images
// into hwc_ims_image and hwc_ims_images, selecting the same images in the
// same order. See docs/guides/migrating.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
)

const usage = `Usage: hwc-migrate [-w] PATH...

Converts every data "huaweicloud_images_image" and "huaweicloud_images_images"
block of the .tf files of each directory PATH (or of the files named) into
hwc_ims_image and hwc_ims_images, with every reference to them, and adds the
hwc provider. Without -w it prints the changes as a unified diff; with -w it
rewrites the files. It reports each block converted, each decision (explained
by a comment in the file) and each construct it could not convert.

Exit status: 0 when everything was converted, 1 when something needs a
person, 2 on a usage or parse error (then nothing is written).

`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("hwc-migrate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	write := flags.Bool("w", false, "rewrite the files in place instead of printing a diff")
	flags.Usage = func() {
		_, _ = fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	modules, err := readModules(flags.Args())
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
		return 2
	}
	dirs := slices.Sorted(maps.Keys(modules))
	results := make([]*migrate.Result, len(dirs))
	for i, dir := range dirs {
		res, err := migrate.Module(modules[dir])
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
			_, _ = fmt.Fprintln(stderr, "hwc-migrate: nothing was written")
			return 2
		}
		results[i] = res
	}
	status := 0
	for i, dir := range dirs {
		res := results[i]
		for _, name := range slices.Sorted(maps.Keys(res.Files)) {
			if *write {
				if err := writeFile(name, res.Files[name]); err != nil {
					_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
					return 2
				}
				continue
			}
			_, _ = fmt.Fprint(stdout, migrate.Diff(name, modules[dir][name], res.Files[name]))
		}
		for _, n := range res.Notes {
			_, _ = fmt.Fprintln(stderr, n)
		}
		if res.NeedsPerson() {
			status = 1
		}
	}
	return status
}

// readModules reads the .tf files of the paths, grouped by directory: a
// directory is one module, whose files refer to each other.
func readModules(paths []string) (map[string]map[string][]byte, error) {
	modules := map[string]map[string][]byte{}
	add := func(name string) error {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		dir := filepath.Dir(name)
		if modules[dir] == nil {
			modules[dir] = map[string][]byte{}
		}
		modules[dir][name] = src
		return nil
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := add(p); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		found := false
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".tf") {
				found = true
				if err := add(filepath.Join(p, e.Name())); err != nil {
					return nil, err
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("%s holds no .tf file", p)
		}
	}
	return modules, nil
}

// writeFile replaces a file's contents, keeping its permissions.
func writeFile(name string, src []byte) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	return os.WriteFile(name, src, info.Mode().Perm())
}
