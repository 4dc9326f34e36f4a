package emulator

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"testing"
)

// A listing page is written byte for byte as encoding/json writes it: every
// image of the built-in catalog, and values with every character and
// number form that JSON writes differently.
func TestListingPageIsEncodingJSONOutput(t *testing.T) {
	t.Parallel()
	imgs := DefaultCatalog().Images
	odd := Image{
		"id": "odd", "name": "quote\" backslash\\ <tag> & \x00\x01\x1f \b\f\n\r\t \u2028\u2029 é 😀 \xff\xfe bad",
		"zero": 0.0, "neg_zero": math.Copysign(0, -1), "small": 1e-7, "smaller": 1.5e-300, "big": 1e21, "bigger": 1.25e300,
		"plain": 123456789.125, "edge": 1e-6, "int": 42, "bool": false, "null": nil, "tags": []string{"a<b", ""},
		"list": []any{"x", 1.5, true, nil, map[string]any{"k": "v"}}, "object": map[string]any{"b": 1, "a": []string{}},
		"number": json.Number("12.50"), "empty_tags": []string{}, "nil_tags": []string(nil), "nil_object": map[string]any(nil),
		hiddenPrefix + "secret": "not shown",
	}
	// Images of fields IMS does not have, whose keys are sorted, not picked.
	imgs = append(imgs, odd, Image{"id": "x", "b": 1}, Image{"id": "y", "a": 1}, Image{"id": "z", "a": 2})
	got, err := appendPage(nil, imgs)
	if err != nil {
		t.Fatal(err)
	}
	page := make([]map[string]any, 0, len(imgs))
	for _, img := range imgs {
		page = append(page, img.public())
	}
	var want bytes.Buffer
	if err := json.NewEncoder(&want).Encode(map[string]any{"images": page}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		for i := range min(len(got), want.Len()) {
			if got[i] != want.Bytes()[i] {
				t.Fatalf("differs at byte %d: got %.120q, encoding/json %.120q", i, got[i:], want.Bytes()[i:])
			}
		}
		t.Fatalf("lengths %d and %d", len(got), want.Len())
	}
	if _, err := appendPage(nil, []Image{{"id": "nan", "min_ram": math.NaN()}}); err == nil {
		t.Error("NaN encoded without an error")
	}
}

// BenchmarkPageKeys compares the two ways sortedKeys orders the keys of
// the built-in catalog's images.
func BenchmarkPageKeys(b *testing.B) {
	imgs := DefaultCatalog().Images
	b.Run("sorted", func(b *testing.B) {
		for b.Loop() {
			for _, img := range imgs {
				_ = slices.Sorted(maps.Keys(img))
			}
		}
	})
	b.Run("picked", func(b *testing.B) {
		var keys []string
		for b.Loop() {
			for _, img := range imgs {
				keys = sortedKeys(keys, img)
			}
		}
	})
}
