package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
)

// listingOf serves a listing of total images, 500 a page, each made by
// image(i), written as it goes so that the server holds none of it.
func listingOf(total int, image func(i int) []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := 0
		if m := r.URL.Query().Get("marker"); m != "" {
			_, _ = fmt.Sscanf(m, "img-%d", &start)
			start++
		}
		_, _ = io.WriteString(w, `{"images":[`)
		for i := start; i < min(start+500, total); i++ {
			if i > start {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = w.Write(image(i))
		}
		_, _ = io.WriteString(w, `]}`)
	}
}

// realistic is an image of the emulator's catalog with the id img-I.
func realistic(i int) []byte {
	images := emulator.DefaultCatalog().Images
	img := maps.Clone(images[i%len(images)])
	img["id"] = fmt.Sprintf("img-%d", i)
	img["status"] = "active"
	for k := range img {
		if strings.HasPrefix(k, "emulator:") {
			delete(img, k)
		}
	}
	b, _ := json.Marshal(img)
	return b
}

// What one read costs is bounded, measured as the provider process's peak
// resident set size: whatever a server sends within the body and page caps
// (100,000 images with nothing but an id, an agent list of 10 MiB of
// "a,a,…", 50,000 realistic images), the provider stays under 256 MiB, on
// either read path, and a read it refuses says how large it was and how to
// narrow it; a listing of 20,000 realistic images reads (2,000 through the
// framework, which takes ten times the memory).
func TestMemoryOfOneReadIsBoundedByCost(t *testing.T) {
	t.Parallel()
	const refused = "MiB once they are state"
	agents := `"` + strings.Repeat("a,", 5<<20) + `a"`
	for _, c := range []struct {
		name    string
		total   int
		image   func(int) []byte
		path    string
		refused bool
	}{
		{"100,000 images with an id only", 100000, func(i int) []byte { return fmt.Appendf(nil, `{"id":"img-%d"}`, i) }, "", true},
		{"an agent list of 10 MiB", 1, func(i int) []byte { return fmt.Appendf(nil, `{"id":"img-%d","__support_agent_list":%s}`, i, agents) }, "", true},
		{"an agent list of 10 MiB, through the framework", 1, func(i int) []byte { return fmt.Appendf(nil, `{"id":"img-%d","__support_agent_list":%s}`, i, agents) }, "framework", true},
		{"50,000 realistic images", 50000, realistic, "", true},
		{"50,000 images with an id only, just within the budget", 50000, func(i int) []byte { return fmt.Appendf(nil, `{"id":"img-%d"}`, i) }, "", false},
		{"20,000 realistic images", 20000, realistic, "", false},
		{"2,000 realistic images, through the framework", 2000, realistic, "framework", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHostileServer(t, listingOf(c.total, c.image))
			w := providertest.NewBuiltDir(t)
			w.Write("main.tf", []byte(`terraform {
  required_providers {
    hwc = { source = "hwc-terraform/hwc" }
  }
}
`+h.provider()+`
data "hwc_ims_images" "x" {}

output "n" {
  value = length(data.hwc_ims_images.x.ids)
}
`))
			w.Run("init", "-input=false", "-no-color")
			out, peak, err := tryMeasured(w, []string{"HWC_READ_PATH=" + c.path}, "plan", "-input=false", "-no-color")
			t.Logf("peak RSS of the provider: %d MiB", peak>>20)
			switch {
			case peak == 0:
				t.Fatal("no provider process was seen: the test measures nothing")
			case peak > 256<<20:
				t.Errorf("the provider reached %d MiB; want under 256 MiB", peak>>20)
			case c.refused && (err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), refused) || !strings.Contains(out, "Narrow what the read keeps")):
				t.Errorf("the read was not refused with %q: %v\n%.3000s", refused, err, out)
			case !c.refused && err != nil:
				t.Errorf("the read failed: %v\n%.3000s", err, out)
			}
		})
	}
}
