// Package migrate converts configurations written for the official
// provider's image data sources (huaweicloud_images_image and
// huaweicloud_images_images) into hwc_ims_image and hwc_ims_images, keeping
// what they select: the same images, in the same order, and every value read
// from them. It reads HCL with hclsyntax and edits the bytes of the ranges it
// converts, then formats each file it changed as terraform fmt does (so
// comments and line endings stay; spacing becomes fmt's). What it cannot prove the same
// it reports as needing a person, and marks in the file so that the mark
// survives later runs until a person removes it.
package migrate

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Kind is what a report line says.
type Kind int

const (
	Converted Kind = iota // a block was converted
	Decision              // a choice that keeps the selection, explained by a comment in the file
	Manual                // something the tool could not convert: a person must look
)

func (k Kind) String() string { return [...]string{"converted", "decision", "needs a person"}[k] }

// Note is one line of the report.
type Note struct {
	File string
	Line int
	Kind Kind
	Text string
}

func (n Note) String() string { return fmt.Sprintf("%s:%d: %s: %s", n.File, n.Line, n.Kind, n.Text) }

// Result is what a run converts.
type Result struct {
	Files map[string][]byte // the files that change, by path
	Notes []Note
}

// NeedsPerson reports whether something was left for a person.
func (r *Result) NeedsPerson() bool {
	return slices.ContainsFunc(r.Notes, func(n Note) bool { return n.Kind == Manual })
}

// Input is the modules of one run.
type Input struct {
	// Modules are the directories converted, each its files by path
	// (slash-separated, under the directory).
	Modules map[string]map[string][]byte
	// Roots are directories known to be root modules (they hold a
	// .terraform.lock.hcl, say) even with no provider block.
	Roots map[string]bool
}

// commentPrefix starts every comment the tool writes; markerPrefix starts
// the mark of a construct that needs a person.
const (
	commentPrefix = "# hwc-migrate: "
	markerPrefix  = commentPrefix + "needs a person: "
)

// Convert converts the modules of a run. A module another module of the
// run calls by a local path is a child: it inherits its providers. A syntax
// error in any file is an error, and nothing is converted.
func Convert(in Input) (*Result, error) {
	mods := map[string]*module{}
	for _, dir := range slices.Sorted(maps.Keys(in.Modules)) {
		m, err := newModule(dir, in.Modules[dir])
		if err != nil {
			return nil, err
		}
		m.root = in.Roots[dir]
		mods[dir] = m
	}
	link(mods)
	res := &Result{Files: map[string][]byte{}}
	for _, dir := range slices.Sorted(maps.Keys(mods)) {
		m := mods[dir]
		m.convert()
		for _, f := range m.files {
			if out := f.bytes(); string(out) != string(f.src) {
				// A converted file is written as terraform fmt writes it:
				// inserted lines would otherwise break the alignment of
				// their neighbours' equals signs.
				out = hclwrite.Format(out)
				if _, err := parse(f.name, out); err != nil {
					return nil, fmt.Errorf("converting %s gave invalid HCL (a bug of hwc-migrate): %w", f.name, err)
				}
				res.Files[f.name] = out
			}
		}
		res.Notes = append(res.Notes, m.notes...)
	}
	slices.SortStableFunc(res.Notes, func(a, b Note) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return res, nil
}

// Module converts the files of one directory, name → source, as a run of
// that directory alone.
func Module(files map[string][]byte) (*Result, error) {
	return Convert(Input{Modules: map[string]map[string][]byte{".": files}})
}

// link finds which modules call which by a local path, and which need the
// hwc provider: those with official image data sources, and those that
// call one that does.
func link(mods map[string]*module) {
	for _, m := range mods {
		for _, c := range m.calls {
			if child := mods[path.Join(m.dir, c.source)]; child != nil && isLocal(c.source) {
				c.child = child
				child.calledBy = append(child.calledBy, m)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, m := range mods {
			if m.needsHWC {
				continue
			}
			for _, c := range m.calls {
				if c.child != nil && c.child.needsHWC {
					m.needsHWC, changed = true, true
				}
			}
		}
	}
}

func isLocal(source string) bool {
	return strings.HasPrefix(source, "./") || strings.HasPrefix(source, "../")
}
