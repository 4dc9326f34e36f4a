package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/migrate"
)

// officialNames are the texts by which a file that is not converted is
// known to use the official image data sources.
var officialNames = [][]byte{[]byte("huaweicloud_images_image")}

// tree is what a run reads: the modules, what the reading noticed, and
// where each file really is.
type tree struct {
	input migrate.Input
	notes []migrate.Note
	roots []string          // the directories named, resolved
	real  map[string]string // a file that is a link → the file it links to
}

// readTree reads the .tf files of the paths, grouped by directory (a
// directory is one module, whose files refer to each other); with
// recursive, of every directory below the paths too.
func readTree(paths []string, recursive bool) (*tree, error) {
	t := &tree{input: migrate.Input{Modules: map[string]map[string][]byte{}, Roots: map[string]bool{}}, real: map[string]string{}}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if err := t.add(filepath.Clean(p)); err != nil {
				return nil, err
			}
			t.roots = append(t.roots, resolved(filepath.Dir(p)))
			continue
		}
		t.roots = append(t.roots, resolved(p))
		if err := t.walk(filepath.Clean(p), recursive); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// walk reads one directory and, with recursive, those below it; without,
// it names those below that use the official image data sources.
func (t *tree) walk(dir string, recursive bool) error {
	found := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != dir && (skipped(d.Name()) || !recursive):
			if !skipped(d.Name()) && usesOfficial(p) {
				t.note(p, "this directory below %s uses the official image data sources and was not converted: run hwc-migrate -recursive", dir)
			}
			return fs.SkipDir
		case d.IsDir():
			if exists(filepath.Join(p, ".terraform.lock.hcl")) || exists(filepath.Join(p, "terraform.tfvars")) {
				t.input.Roots[filepath.ToSlash(p)] = true
			}
		case strings.HasSuffix(p, ".tf.json"):
			if src, err := os.ReadFile(p); err == nil && containsOfficial(src) {
				t.note(p, "a JSON configuration file that uses the official image data sources: hwc-migrate converts .tf files only, convert it by hand")
			}
		case strings.HasSuffix(p, ".tf"):
			found = true
			return t.add(p)
		}
		return nil
	})
	if err == nil && !found {
		return fmt.Errorf("%s holds no .tf file", dir)
	}
	return err
}

// skipped are directories no configuration lives in.
func skipped(name string) bool {
	return name == ".terraform" || name == ".git" || strings.HasPrefix(name, ".") && name != "."
}

// add reads one file into the module of its directory.
func (t *tree) add(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if target, err := filepath.EvalSymlinks(name); err == nil && target != name {
		t.real[name] = target
	}
	dir := filepath.ToSlash(filepath.Dir(name))
	if t.input.Modules[dir] == nil {
		t.input.Modules[dir] = map[string][]byte{}
	}
	t.input.Modules[dir][filepath.ToSlash(name)] = src
	return nil
}

func (t *tree) note(p, format string, args ...any) {
	t.notes = append(t.notes, migrate.Note{File: filepath.ToSlash(p), Line: 1, Kind: migrate.Manual, Text: fmt.Sprintf(format, args...)})
}

// source is what a file held when it was read.
func (t *tree) source(name string) []byte {
	return t.input.Modules[filepath.ToSlash(filepath.Dir(name))][name]
}

// writable drops the changes of the modules that would write outside the
// directories named (a file that is a link to a file elsewhere): such a
// module is left as it is, whole, and reported.
func (t *tree) writable(files map[string][]byte, notes []migrate.Note) (map[string][]byte, []migrate.Note) {
	blocked := map[string]bool{}
	for name := range files {
		if target, ok := t.real[name]; ok && !t.inside(target) {
			blocked[filepath.Dir(name)] = true
			notes = append(notes, migrate.Note{File: name, Line: 1, Kind: migrate.Manual, Text: fmt.Sprintf(
				"a link to %s, outside the directories named: its module was left unconverted; convert the file it links to", target)})
		}
	}
	for name := range files {
		if blocked[filepath.Dir(name)] {
			delete(files, name)
		}
	}
	notes = slices.DeleteFunc(notes, func(n migrate.Note) bool { return blocked[filepath.Dir(n.File)] && n.Kind != migrate.Manual })
	return files, notes
}

// inside reports whether a resolved path is under a directory named.
func (t *tree) inside(target string) bool {
	for _, root := range t.roots {
		if rel, err := filepath.Rel(root, target); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return abs
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func containsOfficial(src []byte) bool {
	return slices.ContainsFunc(officialNames, func(n []byte) bool { return bytes.Contains(src, n) })
}

// usesOfficial reports whether a directory, or one below it, has a
// configuration file that uses the official image data sources.
func usesOfficial(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return fs.SkipAll
		}
		if d.IsDir() && p != dir && skipped(d.Name()) {
			return fs.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")) {
			src, err := os.ReadFile(p)
			found = err == nil && containsOfficial(src)
		}
		return nil
	})
	return found
}

// writeAll writes every file or none: each goes to a temporary file beside
// it first, and only when all are written are they renamed into place (a
// link is written through, to the file it links to).
func writeAll(files map[string][]byte) error {
	var temps []string
	defer func() {
		for _, tmp := range temps {
			_ = os.Remove(tmp)
		}
	}()
	targets := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		target, err := filepath.EvalSymlinks(name)
		if err != nil {
			return err
		}
		info, err := os.Stat(target)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(target), ".hwc-migrate-*")
		if err != nil {
			return err
		}
		temps = append(temps, tmp.Name())
		_, err = tmp.Write(files[name])
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), info.Mode().Perm())
		}
		if err != nil {
			return err
		}
		targets[tmp.Name()] = target
	}
	for _, tmp := range temps {
		if err := os.Rename(tmp, targets[tmp]); err != nil {
			return err
		}
	}
	temps = nil
	return nil
}
