package migrate

import (
	"flag"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/*/out and report.txt")

// caseModules reads testdata/NAME/in: each directory holding .tf files is a
// module, its files named by their path under in.
func caseModules(t *testing.T, in string) map[string]map[string][]byte {
	t.Helper()
	modules := map[string]map[string][]byte{}
	err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tf") {
			return err
		}
		rel, _ := filepath.Rel(in, path)
		src, err := os.ReadFile(path)
		if modules[filepath.Dir(rel)] == nil {
			modules[filepath.Dir(rel)] = map[string][]byte{}
		}
		modules[filepath.Dir(rel)][rel] = src
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return modules
}

// golden compares got with the file want, or writes it with -update.
func golden(t *testing.T, want string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(want, got, 0o644); err != nil { //nolint:gosec // test data
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/migrate -update to write it)", err)
	}
	if string(b) != string(got) {
		t.Errorf("%s differs from what the tool writes:\n%s", want, Diff(want, b, got))
	}
}

// Each configuration of testdata converts to its golden files, with its
// golden report; converting the result again changes nothing.
func TestGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", c.Name())
			var report strings.Builder
			modules := caseModules(t, filepath.Join(dir, "in"))
			for _, module := range slices.Sorted(maps.Keys(modules)) {
				files := modules[module]
				res, err := Module(files)
				if err != nil {
					t.Fatal(err)
				}
				converted := map[string][]byte{}
				for name, src := range files {
					out, changed := res.Files[name]
					if !changed {
						out = src
					}
					converted[name] = out
					golden(t, filepath.Join(dir, "out", name), out)
				}
				for _, n := range res.Notes {
					report.WriteString(n.String() + "\n")
				}
				again, err := Module(converted)
				if err != nil {
					t.Fatal(err)
				}
				for name := range again.Files {
					t.Errorf("converting %s again changes it:\n%s", name, Diff(name, converted[name], again.Files[name]))
				}
			}
			golden(t, filepath.Join(dir, "report.txt"), []byte(report.String()))
		})
	}
}
