package migrate

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// variants are a file as teams write it: as it is, with CRLF line endings,
// with tabs for indentation, and with blank space stripped and doubled.
func variants(src []byte) [][]byte {
	crlf := bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))
	tabs := bytes.ReplaceAll(src, []byte("  "), []byte("\t"))
	wide := bytes.ReplaceAll(src, []byte(" = "), []byte("   =   "))
	return [][]byte{src, crlf, tabs, wide}
}

// Any configuration without the official image data sources comes out byte
// for byte as it went in, with nothing to report: every example of this
// repository and every converted golden file, in each variant.
func TestUnrelatedFilesUnchanged(t *testing.T) {
	var sources []string
	for _, root := range []string{"../../examples", "testdata"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(path, ".tf") && !strings.Contains(filepath.ToSlash(path), "/in/") {
				sources = append(sources, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sources) < 20 {
		t.Fatalf("only %d files to try", len(sources))
	}
	for _, path := range sources {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range variants(src) {
			if bytes.Contains(v, []byte("huaweicloud_images_image")) {
				continue
			}
			res, err := Module(map[string][]byte{"main.tf": v})
			if err != nil {
				continue // a variant that is not valid HCL (a tab inside a heredoc, say)
			}
			if len(res.Files) > 0 || bytes.Contains(v, []byte(markerPrefix)) != res.NeedsPerson() {
				t.Errorf("%s (variant %d) changed or needs a person: %v", path, i, res.Notes)
			}
		}
	}
}

// FuzzModule: whatever the input, the tool never panics; an input without
// the official image data sources is never changed; an output is HCL.
func FuzzModule(f *testing.F) {
	for _, seed := range []string{clean, "locals {\n  a = [for i in data.huaweicloud_images_images.x.images : i.os]\n}\n",
		"data \"huaweicloud_images_image\" \"a\" {\r\n\tos = var.x # c\r\n}\r\n", "output \"o\" { value = data.huaweicloud_images_image.a }",
		strings.Repeat("[", 2000)} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Module(map[string][]byte{"main.tf": src})
		if err != nil {
			return
		}
		out, changed := res.Files["main.tf"]
		if changed && !bytes.Contains(src, []byte("huaweicloud")) {
			t.Fatalf("an unrelated file changed:\n%s", Diff("main.tf", src, out))
		}
	})
}

const clean = `provider "huaweicloud" {}

data "huaweicloud_images_image" "a" {
  os          = "Ubuntu"
  most_recent = true
}

output "os" {
  value = data.huaweicloud_images_image.a.os
}
`

// The diff is a shortest edit script: it turns a into b, and changes as
// many lines as the longest common subsequence leaves.
func TestDiffIsShortest(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		a, b := randomLines(rnd), randomLines(rnd)
		d := Diff("f", []byte(a), []byte(b))
		changes := 0
		for _, l := range strings.Split(d, "\n") {
			switch {
			case strings.HasPrefix(l, "---"), strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "@@"), l == "":
			case l[0] == '-', l[0] == '+':
				changes++
			}
		}
		x, y := lines(a), lines(b)
		if want := len(x) + len(y) - 2*lcs(x, y); changes != want {
			t.Fatalf("%d changed lines, the shortest script has %d:\n%q\n%q\n%s", changes, want, a, b, d)
		}
	}
	// A long file with a few changes.
	var big strings.Builder
	for i := range 50000 {
		fmt.Fprintf(&big, "line %d\n", i)
	}
	changed := strings.Replace(strings.Replace(big.String(), "line 100\n", "changed\n", 1), "line 40000\n", "", 1)
	if d := Diff("f", []byte(big.String()), []byte(changed)); strings.Count(d, "\n-") != 2 || strings.Count(d, "\n+") != 2 {
		t.Errorf("the diff of a long file:\n%s", d)
	}
}

func randomLines(rnd *rand.Rand) string {
	var b strings.Builder
	for range rnd.IntN(12) {
		fmt.Fprintf(&b, "%c\n", 'a'+rnd.IntN(4))
	}
	return b.String()
}

func lcs(x, y []string) int {
	t := make([][]int, len(x)+1)
	for i := range t {
		t[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	return t[0][0]
}

// Brackets nested 100,000 deep (hcl's parser recurses once per level and
// would exhaust the stack, as terraform fmt does) are refused before
// parsing, with the file and line.
func TestDeepNestingIsRefused(t *testing.T) {
	src := "locals {\n  a = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n"
	_, err := Module(map[string][]byte{"main.tf": []byte(src)})
	if err == nil || !strings.Contains(err.Error(), "main.tf:2: brackets nest more than 1000 deep") {
		t.Errorf("err = %v", err)
	}
}

// An argument dropped or left for a person that spans lines becomes a
// comment on one line: the output stays valid HCL.
func TestMultiLineArgumentsBecomeOneComment(t *testing.T) {
	src := "data \"huaweicloud_images_images\" \"x\" {\n  os_version = join(\"\", [\n    \"a\",\n  ])\n  __support_agent_list = join(\",\", [\n    \"hss\",\n  ])\n}\n"
	res, err := Module(map[string][]byte{"main.tf": []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if out := string(res.Files["main.tf"]); !strings.Contains(out, `# hwc-migrate: dropped os_version = join("", [ "a", ])`) ||
		!strings.Contains(out, `# hwc-migrate: needs a person: not converted, `) {
		t.Errorf("converted as:\n%s", out)
	}
}

// The diff of a file of 2,000 converted blocks is an edit script of the
// two files, the shortest one (4 lines removed a block), and allocates memory linear in them (the
// shortest script of so many changes needs gigabytes; its time is in make
// bench).
func TestDiffOfManyBlocks(t *testing.T) {
	files := manyBlocks(2000)
	res, err := Module(files)
	if err != nil {
		t.Fatal(err)
	}
	a, b := files["main.tf"], res.Files["main.tf"]
	d := Diff("main.tf", a, b)
	half, err := Module(manyBlocks(1000))
	if err != nil {
		t.Fatal(err)
	}
	small := diffAlloc(manyBlocks(1000)["main.tf"], half.Files["main.tf"])
	if all := diffAlloc(a, b); all > 100<<20 || float64(all) > 2.5*float64(small) {
		t.Errorf("the diff of 2,000 blocks allocated %d MB, of 1,000 blocks %d MB", all>>20, small>>20)
	}
	if removed := strings.Count(d, "\n-"); removed != 4*2000 {
		t.Errorf("%d lines removed from 2,000 converted blocks, 4 a block are", removed)
	}
	var old, converted strings.Builder
	for _, l := range strings.Split(d, "\n")[2:] {
		switch {
		case strings.HasPrefix(l, "@@"), l == "":
		case l[0] == ' ':
			old.WriteString(l[1:] + "\n")
			converted.WriteString(l[1:] + "\n")
		case l[0] == '-':
			old.WriteString(l[1:] + "\n")
		case l[0] == '+':
			converted.WriteString(l[1:] + "\n")
		}
	}
	// Every hunk together: with the context lines, each file's lines appear
	// in order, none missing from a changed region.
	if !isSubsequence(lines(old.String()), lines(string(a))) || !isSubsequence(lines(converted.String()), lines(string(b))) {
		t.Error("the hunks are not the lines of the files, in order")
	}
}

// diffAlloc is the memory Diff allocates for a and b.
func diffAlloc(a, b []byte) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Diff("f", a, b)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func isSubsequence(sub, of []string) bool {
	k := 0
	for _, l := range of {
		if k < len(sub) && sub[k] == l {
			k++
		}
	}
	return k == len(sub)
}
