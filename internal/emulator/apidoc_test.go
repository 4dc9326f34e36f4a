package emulator

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// docTime is the time format of both documents.
const docTime = "2006-01-02T15:04:05Z"

// strictly reports what is wrong with value v of a field under the
// document's rule r, or "" when nothing is.
func strictly(r apidoc.Rule, v any) string {
	if v == nil {
		if r.Null {
			return ""
		}
		return "null"
	}
	s, isText := v.(string)
	switch r.Kind {
	case apidoc.Text, apidoc.BoolText:
		if !isText {
			return fmt.Sprintf("%#v is not a string", v)
		}
	case apidoc.Time:
		if _, err := time.Parse(docTime, s); !isText || err != nil {
			return fmt.Sprintf("%#v is not a yyyy-MM-ddTHH:mm:ssZ time", v)
		}
	case apidoc.IntText:
		n, err := strconv.ParseInt(s, 10, 64)
		if !isText || err != nil {
			return fmt.Sprintf("%#v is not a string holding a whole number", v)
		}
		return outOfRange(r, n)
	case apidoc.Int:
		n, ok := v.(int)
		if !ok {
			return fmt.Sprintf("%#v is not an integer", v)
		}
		return outOfRange(r, int64(n))
	case apidoc.Bool:
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("%#v is not true or false", v)
		}
	case apidoc.TextList:
		if _, ok := v.([]string); !ok {
			return fmt.Sprintf("%#v is not a list of strings", v)
		}
	}
	if r.Values != nil && !slices.Contains(r.Values, s) {
		return fmt.Sprintf("%q is none of %q", s, r.Values)
	}
	return ""
}

func outOfRange(r apidoc.Rule, n int64) string {
	if n < r.Min || r.Max > 0 && n > r.Max {
		return fmt.Sprintf("%d is outside %d–%d", n, r.Min, r.Max)
	}
	return ""
}

func at(t *testing.T, img Image, field string) time.Time {
	t.Helper()
	v, err := time.Parse(docTime, img.str(field))
	if err != nil {
		t.Fatalf("%s: %s %q", img.str("id"), field, img.str(field))
	}
	return v
}

// The generated catalogs hold only what the documents allow: each field of
// its documented type and among its documented values, the support flags
// true or absent, the times in order and none in the future; and every
// documented field is given by some image, each boolean both ways (but
// __isregistered: a project lists registered images only).
func TestCatalogFollowsTheDocuments(t *testing.T) {
	now := time.Now().UTC()
	for seed := uint64(1); seed <= 3; seed++ {
		c := GenerateCatalog(seed, now)
		seen := map[string]map[string]bool{}
		for _, img := range c.Images {
			id := img.str("id")
			for k, v := range img {
				if hidden(k) {
					continue
				}
				r, ok := apidoc.Find(apidoc.IMSImage, k)
				if !ok {
					t.Fatalf("seed %d, %s: %s is not a field of the IMS document", seed, id, k)
				}
				if msg := strictly(r, v); msg != "" {
					t.Fatalf("seed %d, %s: %s: %s", seed, id, k, msg)
				}
				if seen[k] == nil {
					seen[k] = map[string]bool{}
				}
				seen[k][fmt.Sprint(v)] = true
			}
			created, updated := at(t, img, "created_at"), at(t, img, "updated_at")
			if updated.Before(created) || updated.After(now) {
				t.Fatalf("seed %d, %s: created %s, updated %s, now %s", seed, id, created, updated, now)
			}
			if _, ok := img["active_at"]; ok {
				if active := at(t, img, "active_at"); active.Before(created) || updated.Before(active) {
					t.Fatalf("seed %d, %s: created %s, active %s, updated %s", seed, id, created, active, updated)
				}
			}
			if list, ok := img["__os_feature_list"]; ok && !featureFlags(list.(string)) {
				t.Fatalf("seed %d, %s: __os_feature_list %q is not a JSON object of \"true\"/\"false\" flags, as recorded answers", seed, id, list)
			}
			for _, excl := range [][2]string{
				{"__support_xen_gpu_type", "__support_xen"}, {"__support_xen_gpu_type", "__support_kvm"},
				{"__support_kvm_gpu_type", "__support_xen"}, {"__support_kvm_gpu_type", "__support_kvm"},
				{"__support_xen_hana", "__support_xen"}, {"__support_xen_hana", "__support_kvm"},
				{"__support_kvm_infiniband", "__support_xen"}, {"__root_origin", "__originalimagename"},
			} {
				if img[excl[0]] != nil && img[excl[1]] != nil {
					t.Fatalf("seed %d, %s: %s and %s together", seed, id, excl[0], excl[1])
				}
			}
		}
		for _, r := range apidoc.IMSImage {
			switch {
			case len(seen[r.Name]) == 0:
				t.Errorf("seed %d: no image has %s", seed, r.Name)
			case r.Name == "__isregistered" && len(seen[r.Name]) != 1:
				// "Common users can query only the images for which the value is true."
				t.Errorf("seed %d: __isregistered is %v", seed, seen[r.Name])
			case r.Kind == apidoc.BoolText && !r.Absent && r.Name != "__isregistered" && (!seen[r.Name]["true"] || !seen[r.Name]["false"]):
				t.Errorf("seed %d: %s is never one of true and false: %v", seed, r.Name, seen[r.Name])
			}
		}
		for _, img := range c.MarketImages {
			for _, r := range apidoc.MarketImage {
				v, ok := img[r.Name]
				if msg := strictly(r, v); ok && msg != "" || !ok && r.Name != "max_ram" {
					t.Fatalf("seed %d, KooGallery %s: %s: %s (present: %v)", seed, img.str("image_id"), r.Name, msg, ok)
				}
			}
			if len(img) > len(apidoc.MarketImage) {
				t.Fatalf("seed %d, KooGallery %s has fields the document does not list: %v", seed, img.str("image_id"), img)
			}
		}
	}
}

// Each IMS query parameter with a documented set of values or range
// answers its values and refuses the others, as the document describes.
func TestIMSParametersFollowTheDocument(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	status := func(name, value string) int {
		q := url.Values{name: {value}}
		if name == "member_status" {
			q.Set("visibility", "shared")
		}
		resp, _ := signedGet(t, srv.URL, imsListPath, q, time.Now(), nil)
		return resp.StatusCode
	}
	for _, r := range apidoc.IMSQuery {
		t.Run(r.Name, func(t *testing.T) {
			want := map[string]int{}
			switch r.Kind {
			case apidoc.IntText:
				want[strconv.FormatInt(r.Min, 10)] = 200
				want[strconv.FormatInt(r.Min-1, 10)] = 400
				want["1.5"] = 400
				if r.Max > 0 {
					want[strconv.FormatInt(r.Max, 10)] = 200
					want[strconv.FormatInt(r.Max+1, 10)] = 400
				}
			case apidoc.Time:
				for _, op := range apidoc.TimeOperators {
					want[op+":2025-01-01T00:00:00Z"] = 200
				}
				want["ge:2025-01-01T00:00:00Z"] = 400
				want["gt:2025-01-01"] = 400
			}
			for _, v := range r.Values {
				want[v] = 200
			}
			if r.Values != nil {
				want["not-"+r.Values[0]] = map[bool]int{true: 200, false: 400}[r.Open]
			}
			for v, code := range want {
				if got := status(r.Name, v); got != code {
					t.Errorf("%s=%s: status %d, want %d", r.Name, v, got, code)
				}
			}
		})
	}
}

// featureFlags reports whether text is an __os_feature_list as recorded
// answers of the cloud write it: a JSON object of "true"/"false" flags.
func featureFlags(text string) bool {
	var flags map[string]string
	if json.Unmarshal([]byte(text), &flags) != nil || len(flags) == 0 {
		return false
	}
	for _, v := range flags {
		if v != "true" && v != "false" {
			return false
		}
	}
	return true
}
