// Command hwc-migrate converts configurations that select images with the
// official provider's huaweicloud_images_image and huaweicloud_images_images
// into hwc_ims_image and hwc_ims_images, selecting the same images in the
// same order. See docs/guides/migrating.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
)

const usage = `Usage: hwc-migrate [-w] [-check | -verify] [-recursive] PATH...

Converts every data "huaweicloud_images_image" and "huaweicloud_images_images"
block of the .tf files of each directory PATH (with -recursive, of every
directory below it too; or of the files named) into hwc_ims_image and
hwc_ims_images, with every reference to them, and adds the hwc provider.
Without -w it prints the changes as a unified diff; with -w it rewrites the
files, all of them or none. It reports each block converted, each decision
(explained by a comment in the file) and each construct it could not convert
(marked in the file until a person removes the mark).

With -verify (one directory PATH: the root module), it also proves the
conversion by two plans: it copies the directory, runs terraform init and
terraform plan with the official provider on the copy as it is and with hwc
on a converted copy, using your CLI, its configuration and your credentials,
and compares every output and every managed resource the plans hold. With -w,
it writes only when the plans agree.

Exit status: 0 when everything was converted (the configuration selects the
same images and reads the same values; with -verify, and the two plans
agree), 1 when something needs a person (or, with -check, when anything
would change; with -verify, when the plans differ or one fails), 2 on a
usage or parse error (then nothing is written).

`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("hwc-migrate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	write := flags.Bool("w", false, "rewrite the files in place instead of printing a diff")
	check := flags.Bool("check", false, "write nothing; exit 1 when anything would change or needs a person (for CI)")
	recursive := flags.Bool("recursive", false, "also convert every directory below each PATH, as terraform fmt -recursive")
	verify := flags.Bool("verify", false, "prove the conversion: plan the original and the converted copy, and compare them")
	cli := flags.String("terraform", "", "the CLI -verify runs (default: terraform on PATH, else tofu)")
	flags.Usage = func() {
		_, _ = fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 || *write && *check || *verify && *check {
		flags.Usage()
		return 2
	}
	if *verify && (flags.NArg() != 1 || !isDir(flags.Arg(0))) {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: -verify plans one root module: name its directory, alone")
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
	if *verify {
		if status := verifyPlans(flags.Arg(0), *cli, res.Files, stderr); status != 0 {
			return status
		}
	}
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
	return report(notes, len(res.Files), *check, stderr)
}

// report prints the notes and is the exit status: 1 when something needs
// a person, or with check when changed files would change.
func report(notes []migrate.Note, changed int, check bool, stderr io.Writer) int {
	status := 0
	for _, n := range notes {
		_, _ = fmt.Fprintln(stderr, n)
		if n.Kind == migrate.Manual {
			status = 1
		}
	}
	if check && changed > 0 {
		_, _ = fmt.Fprintf(stderr, "hwc-migrate: %d files would change\n", changed)
		status = 1
	}
	return status
}

// verifyPlans runs -verify and reports it; 0 when the plans agree.
func verifyPlans(root, named string, files map[string][]byte, stderr io.Writer) int {
	cli, err := migrate.FindCLI(named)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: -verify:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	v, err := migrate.Verify(ctx, migrate.VerifyInput{CLI: cli, Root: root, Files: files})
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: -verify:", err)
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: nothing was written")
		return 1
	}
	_, _ = fmt.Fprintf(stderr, "hwc-migrate: -verify: planned the original with the official provider in %.1f s and the converted copy with hwc in %.1f s; compared %d outputs and %d managed resources\n",
		v.Official.Seconds(), v.Converted.Seconds(), v.Outputs, v.Resources)
	for _, d := range v.Differences {
		_, _ = fmt.Fprintln(stderr, "hwc-migrate: -verify: differs:", d)
	}
	if len(v.Differences) > 0 {
		_, _ = fmt.Fprintf(stderr, "hwc-migrate: -verify: %d differences: the conversion would change what the plan reads; nothing was written\n", len(v.Differences))
		return 1
	}
	_, _ = fmt.Fprintln(stderr, "hwc-migrate: -verify: the plans agree")
	return 0
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
