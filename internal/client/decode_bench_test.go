package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// BenchmarkDecodePage decodes a page of 500 catalog images, keeping every
// field, without and with the secrets a client masks in what it keeps (the
// masking's cost is the ratio of the two), and with encoding/json as any Go
// client would (every element a map of raw values): the baseline of the
// single pass.
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
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var p struct{ Images []map[string]json.RawMessage }
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil || len(p.Images) != 500 {
				b.Fatal(len(p.Images), err)
			}
		}
	})
}

// BenchmarkDecodeWhitespace decodes a page of one image after 30 MiB of
// whitespace, beside a page of catalog images of the same size: decoding
// is linear when the first costs no more a byte than the second (without
// folding the whitespace, it cost half a minute).
func BenchmarkDecodeWhitespace(b *testing.B) {
	const size = 30 << 20
	one, err := json.Marshal(emulator.DefaultCatalog().Images[0])
	if err != nil {
		b.Fatal(err)
	}
	images, err := json.Marshal(emulator.DefaultCatalog().Images)
	if err != nil {
		b.Fatal(err)
	}
	elems := bytes.Repeat(append(images[1:len(images)-1], ','), size/len(images)+1)
	pages := map[string][]byte{
		"whitespace_30MiB": []byte(`{"images":` + strings.Repeat(" ", size) + `[` + string(one) + `]}`),
		"catalog_30MiB":    []byte(`{"images":[` + string(elems[:len(elems)-1]) + `]}`),
	}
	for name, page := range pages {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, _, err := decodeList(bytes.NewReader(page), listKey, -1, []string{"id"}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
