package migrate

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
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
		dir := filepath.ToSlash(filepath.Dir(rel))
		if modules[dir] == nil {
			modules[dir] = map[string][]byte{}
		}
		modules[dir][filepath.ToSlash(rel)] = src
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
// golden report; converting the result again changes nothing and needs a
// person exactly when the first run did.
func TestGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", c.Name())
			modules := caseModules(t, filepath.Join(dir, "in"))
			// A module with a terraform.tfvars is a root, as hwc-migrate
			// decides (a .terraform.lock.hcl too, which git ignores here).
			roots := map[string]bool{}
			for module := range modules {
				if _, err := os.Stat(filepath.Join(dir, "in", module, "terraform.tfvars")); err == nil {
					roots[module] = true
				}
			}
			res, err := Convert(Input{Modules: modules, Roots: roots})
			if err != nil {
				t.Fatal(err)
			}
			var report strings.Builder
			converted := map[string]map[string][]byte{}
			for module, files := range modules {
				converted[module] = map[string][]byte{}
				for name, src := range files {
					out, changed := res.Files[name]
					if !changed {
						out = src
					}
					converted[module][name] = out
					golden(t, filepath.Join(dir, "out", name), out)
				}
			}
			for _, n := range res.Notes {
				report.WriteString(n.String() + "\n")
			}
			golden(t, filepath.Join(dir, "report.txt"), []byte(report.String()))
			again, err := Convert(Input{Modules: converted, Roots: roots})
			if err != nil {
				t.Fatal(err)
			}
			for name := range again.Files {
				t.Errorf("converting %s again changes it:\n%s", name, Diff(name, converted[filepath.Dir(name)][name], again.Files[name]))
			}
			if again.NeedsPerson() != res.NeedsPerson() {
				t.Errorf("the second run needs a person: %v, the first: %v\n%v", again.NeedsPerson(), res.NeedsPerson(), again.Notes)
			}
		})
	}
}

// Every file hwc-migrate changes in the golden cases passes the CLI's own
// fmt -check (terraform fmt, or tofu fmt in the CLI matrix).
func TestMigrate_outputPassesFmtCheck(t *testing.T) {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Skip("no terraform or tofu on PATH")
	}
	changed := t.TempDir()
	n := 0
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		dir, name, ok := strings.Cut(filepath.ToSlash(path), "/out/")
		if err != nil || d.IsDir() || !ok || !strings.HasSuffix(name, ".tf") {
			return err
		}
		in, _ := os.ReadFile(filepath.Join(dir, "in", name))
		out, err := os.ReadFile(path)
		if err != nil || string(in) == string(out) {
			return err
		}
		n++
		return os.WriteFile(filepath.Join(changed, fmt.Sprintf("%02d.tf", n)), out, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d converted golden files", n)
	}
	cmd := exec.Command(cli, "fmt", "-check", "-diff", "-no-color", changed)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s fmt -check on the %d converted golden files: %v\n%s", filepath.Base(cli), n, err, out)
	}
}
