package client

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// BenchmarkDecodePage decodes a page of 500 catalog images, keeping every
// field, without and with the secrets a client masks in what it keeps:
// the masking's cost is the ratio of the two.
func BenchmarkDecodePage(b *testing.B) {
	images := emulator.DefaultCatalog().Images[:500]
	page, err := json.Marshal(map[string]any{"images": images})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		clean *cleaner
	}{
		{"no secrets", nil},
		{"secrets", newCleaner("sk-BENCH-5e6f708192a3b4c5d6e7f8091a2b", "HPUABENCH00000000001", "tok-"+string(bytes.Repeat([]byte("MIIEXAMPLE"), 100)))},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, _, err := decodeList(bytes.NewReader(page), listKey, -1, nil, c.clean); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
