// Command hwc-migrate converts configurations that select images with the
// official provider's huaweicloud_images_image and huaweicloud_images_images
// into hwc_ims_image and hwc_ims_images, selecting the same images in the
// same order. See docs/guides/migrating.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
)

const usage = `Usage: hwc-migrate [-w] [-check] [-recursive] PATH...

Converts every data "huaweicloud_images_image" and "huaweicloud_images_images"
block of the .tf files of each directory PATH (with -recursive, of every
directory below it too; or of the files named) into hwc_ims_image and
hwc_ims_images, with every reference to them, and adds the hwc provider.
Without -w it prints the changes as a unified diff; with -w it rewrites the
files, all of them or none. It reports each block converted, each decision
(explained by a comment in the file) and each construct it could not convert
(marked in the file until a person removes the mark).

Exit status: 0 when everything was converted (the configuration selects the
same images and reads the same values), 1 when something needs a person (or,
with -check, when anything would change), 2 on a usage or parse error (then
nothing is written).

`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("hwc-migrate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	write := flags.Bool("w", false, "rewrite the files in place instead of printing a diff")
	check := flags.Bool("check", false, "write nothing; exit 1 when anything would change or needs a person (for CI)")
	recursive := flags.Bool("recursive", false, "also convert every directory below each PATH, as terraform fmt -recursive")
	flags.Usage = func() {
		_, _ = fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 || *write && *check {
		flags.Usage()
		return 2
	}
	t, err := readTree(flags.Args(), *recursive)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
		return 2
	}
	res, err := migrate.Convert(t.input)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: nothing was written")
		return 2
	}
	notes := append(t.notes, res.Notes...)
	res.Files, notes = t.writable(res.Files, notes)
	switch {
	case *write:
		if err := writeAll(res.Files, t.source); err != nil {
			_, _ = fmt.Fprintln(stderr, "hwc-migrate:", err)
			_, _ = fmt.Fprintln(stderr, "hwc-migrate: nothing was written")
			if errors.As(err, new(errChanged)) {
				return 1
			}
			return 2
		}
	case !*check:
		for _, name := range slices.Sorted(maps.Keys(res.Files)) {
			_, _ = fmt.Fprint(stdout, migrate.Diff(name, t.source(name), res.Files[name]))
		}
	}
	status := 0
	for _, n := range notes {
		_, _ = fmt.Fprintln(stderr, n)
		if n.Kind == migrate.Manual {
			status = 1
		}
	}
	if *check && len(res.Files) > 0 {
		_, _ = fmt.Fprintf(stderr, "hwc-migrate: %d files would change\n", len(res.Files))
		status = 1
	}
	return status
}
