package migrate

import (
	"fmt"
	"strings"
	"testing"
)

// manyBlocks is a module of n official data sources, each converted.
func manyBlocks(n int) map[string][]byte {
	var b strings.Builder
	b.WriteString("provider \"huaweicloud\" {\n  region = \"cn-north-4\"\n}\n")
	for i := range n {
		fmt.Fprintf(&b, "\n# Image %d.\ndata \"huaweicloud_images_image\" \"img%d\" {\n  name_regex  = \"^app-%d-\"\n  visibility  = \"private\"\n  most_recent = true\n}\n", i, i, i)
		fmt.Fprintf(&b, "\noutput \"img%d\" {\n  value = data.huaweicloud_images_image.img%d.id\n}\n", i, i)
	}
	return map[string][]byte{"main.tf": []byte(b.String())}
}

// BenchmarkMigrate2000Blocks converts a file of 2,000 official blocks and
// either only decides whether it changes (-check) or prints its diff: the
// diff must cost about what the conversion does (make bench: under 200 MB
// and 5 s).
func BenchmarkMigrate2000Blocks(b *testing.B) {
	files := manyBlocks(2000)
	for _, mode := range []string{"check", "diff"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Module(files)
				if err != nil || len(res.Files) != 1 {
					b.Fatal(err, len(res.Files))
				}
				if mode == "diff" && Diff("main.tf", files["main.tf"], res.Files["main.tf"]) == "" {
					b.Fatal("no diff")
				}
			}
		})
	}
}
