package provider

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

const ltsRegex = `^Ubuntu \\d+\\.04\\.\\d+ server 64bit$`

// On the Ubuntu LTS family, where a patch build of 22.04 is newer than the
// newest 24.04 release and 24.04.3 was published minutes ago, each attribute
// changes the answer as documented.
func TestSafeSelection_versionOrderAndSoakWindow(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	family := `image_type = "gold"
  name_regex = "` + ltsRegex + `"`
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_image" "by_date" {
  ` + family + `
  most_recent = true
}
data "hwc_ims_image" "by_date_soaked" {
  ` + family + `
  most_recent = true
  min_age     = "72h"
}
data "hwc_ims_image" "by_version_soaked" {
  ` + family + `
  most_recent = true
  order_by    = "version"
  min_age     = "72h"
}
data "hwc_ims_images" "by_version" {
  ` + family + `
  order_by = "version"
}
data "hwc_ims_images" "by_date" {
  ` + family + `
  order_by = "created_at"
  limit    = 3
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 24.04.3 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date_soaked", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 22.04.5 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_version_soaked", tfjsonpath.New("name"), knownvalue.StringExact("Ubuntu 24.04.2 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Ubuntu 24.04.3 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images").AtSliceIndex(3).AtMapKey("name"), knownvalue.StringExact("Ubuntu 22.04.5 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("images"), knownvalue.ListSizeExact(6)),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_date", tfjsonpath.New("images").AtSliceIndex(2).AtMapKey("name"), knownvalue.StringExact("Ubuntu 24.04.2 server 64bit")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.by_version", tfjsonpath.New("query"), knownvalue.StringExact("__imagetype=gold&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.by_date_soaked", tfjsonpath.New("query"), knownvalue.StringRegexp(regexp.MustCompile(`^__imagetype=gold&created_at=lt%3A\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ&status=active$`))),
			},
			Check: func(*terraform.State) error {
				// min_age reached the API as created_at=lt:now-72h, cut to the second.
				for _, q := range env.imsQueries() {
					v, _ := url.ParseQuery(q)
					if lt := v.Get("created_at"); lt != "" {
						at, err := time.Parse("lt:"+apiTimeFormat, lt)
						if err != nil {
							return err
						}
						if off := time.Since(at) - 72*time.Hour; off < 0 || off > 2*time.Minute {
							return fmt.Errorf("created_at bound %s is not 72h before now", lt)
						}
					}
				}
				return nil
			},
		}},
	})
}

// min_age and created_before: the earlier bound wins; with created_after, the
// bound is applied by the provider and the stage is named after min_age.
func TestSafeSelection_minAgeBounds(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-000000000001", "fresh", now.Add(-10*time.Minute).Format(time.RFC3339), nil),
		image("aaaaaaaa-0000-4000-8000-000000000002", "week-old", now.Add(-7*24*time.Hour).Format(time.RFC3339), nil),
		image("aaaaaaaa-0000-4000-8000-000000000003", "old", "2024-01-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_images" "soaked" {
  min_age = "1h"
}
data "hwc_ims_images" "before_wins" {
  min_age        = "1h"
  created_before = "2025-01-01T00:00:00Z"
}
data "hwc_ims_images" "with_after" {
  min_age       = "30m"
  created_after = "2023-01-01T00:00:00Z"
}
data "hwc_ims_images" "zero" {
  min_age = "0s"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.soaked", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.before_wins", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-000000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.before_wins", tfjsonpath.New("query"), knownvalue.StringExact("created_at=lt%3A2025-01-01T00%3A00%3A00Z&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.with_after", tfjsonpath.New("ids"), names("aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000003")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.with_after", tfjsonpath.New("query"), knownvalue.StringExact("created_at=gt%3A2023-01-01T00%3A00%3A00Z&status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.zero", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
			},
		}},
	})
}

func TestSafeSelection_exclusions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(6)}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_images" "x" {
  exclude_ids        = ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000004", "not-an-image"]
  exclude_name_regex = "0{3}[23]"
}
data "hwc_ims_image" "newest_not_bad" {
  most_recent = true
  exclude_ids = ["00000000-0000-4000-8000-000000000000"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("ids"), names(
					"00000000-0000-4000-8000-000000000000", "00000000-0000-4000-8000-000000000005")),
				statecheck.ExpectKnownValue("data.hwc_ims_images.x", tfjsonpath.New("query"), knownvalue.StringExact("status=active")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.newest_not_bad", tfjsonpath.New("id"), knownvalue.StringExact("00000000-0000-4000-8000-000000000001")),
			},
			// Exclusions are applied by the provider: nothing reaches the API.
			Check: env.expectIMSQueries("limit=500&status=active"),
		}},
	})
}

// Refinements apply in the order of CONTRIBUTING.md ("Selection order"): limit comes after order_by, and
// most_recent keeps what order_by ranks first.
func TestSafeSelection_orderThenLimit(t *testing.T) {
	t.Parallel()
	imgs := []emulator.Image{
		image("aaaaaaaa-0000-4000-8000-000000000001", "app 1.9", "2025-03-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000002", "app 1.10", "2025-01-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000003", "app 1.10", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000009", "app 1.2", "2025-02-01T00:00:00Z", nil),
		image("aaaaaaaa-0000-4000-8000-000000000004", "app 1.8", "2025-02-01T00:00:00Z", nil),
	}
	env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: imgs}})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_images" "version" {
  order_by = "version"
  limit    = 3
}
data "hwc_ims_images" "date" {
  order_by = "created_at"
}
data "hwc_ims_image" "highest" {
  order_by    = "version"
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				// Equal names: the newer first.
				statecheck.ExpectKnownValue("data.hwc_ims_images.version", tfjsonpath.New("ids"), names(
					"aaaaaaaa-0000-4000-8000-000000000003", "aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000001")),
				// Equal created_at: the larger id first.
				statecheck.ExpectKnownValue("data.hwc_ims_images.date", tfjsonpath.New("ids"), names(
					"aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000009", "aaaaaaaa-0000-4000-8000-000000000004",
					"aaaaaaaa-0000-4000-8000-000000000003", "aaaaaaaa-0000-4000-8000-000000000002")),
				statecheck.ExpectKnownValue("data.hwc_ims_image.highest", tfjsonpath.New("id"), knownvalue.StringExact("aaaaaaaa-0000-4000-8000-000000000003")),
			},
		}},
	})
}

// The explained miss, as the docs show it, with one extra request only when
// the first listing cannot tell. want is a regular expression.
func TestSafeSelection_explainedMiss(t *testing.T) {
	t.Parallel()
	// A catalog of its own, so its fresh images are 20 minutes old now.
	env := newTestEnv(t, emulator.Options{Catalog: emulator.GenerateCatalog(1, time.Now())})
	extra := func(want int) func() {
		return func() {
			if got := len(env.imsQueries()); got != want {
				t.Errorf("%d distinct queries, want %d: %q", got, want, env.imsQueries())
			}
			env.emu.Reset()
		}
	}
	for _, c := range []struct {
		body    string
		want    string
		queries int
	}{
		{
			body: `image_type = "gold"
  name       = "Ubuntu 24.04.3 server 64bit"
  min_age    = "72h"`,
			want: `No image matches this data source. Query sent to IMS: __imagetype=gold&created_at=lt%3A.*&name=Ubuntu%2024.04.3%20server%2064bit&status=active ` +
				`Images the API returned: 0 The soak window \(min_age = 72h\) held back 1 image\(s\) created after .*; the newest was created 2[01]m ago.`,
			queries: 2,
		},
		{
			body:    `name = "Ubuntu 24.04.2 server"`,
			want:    `Images the API returned: 0 No image is named "Ubuntu 24.04.2 server". The nearest names: "Ubuntu 24.04.2 server 64bit", "Ubuntu 24.04.1 server 64bit", "Ubuntu 24.04.3 server 64bit".`,
			queries: 2,
		},
		{
			body: `image_type    = "gold"
  name_regex    = "^Ubuntu 24\\.04\\.3 "
  created_after = "2024-01-01T00:00:00Z"
  min_age       = "1h"`,
			want:    `Images the API returned: \d+ Removed by name_regex: \d+ Removed by min_age: 1 \(the newest was created 2[01]m ago; min_age = 1h\) The API returned images, but the refinements above removed all of them.`,
			queries: 1,
		},
		{
			body:    `platform = "Windows"`,
			want:    `Query sent to IMS: __platform=Windows&status=active Images the API returned: 0 The API itself returned no image: loosen the filters.`,
			queries: 1,
		},
	} {
		runTest(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(),
			Steps: []resource.TestStep{{
				Config:      env.provider() + "data \"hwc_ims_image\" \"x\" {\n  " + c.body + "\n}\n",
				ExpectError: regexp.MustCompile(strings.Join(strings.Fields(c.want), `\s+`)),
			}},
		})
		extra(c.queries)()
	}
}

// The warning for a ranking open to images of other accounts without owner.
func TestSafeSelection_openSelectionWarning(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args map[string]tftypes.Value
		want bool
	}{
		{map[string]tftypes.Value{"most_recent": yes, "visibility": str("shared")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("shared")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("market")}, true},
		{map[string]tftypes.Value{"most_recent": yes}, true},
		{map[string]tftypes.Value{"order_by": str("version")}, true},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("market"), "owner": str(emulator.MarketOwner)}, false},
		{map[string]tftypes.Value{"most_recent": yes, "owner": str(emulator.PublicOwner)}, false},
		{map[string]tftypes.Value{"most_recent": yes, "image_type": str("gold")}, false},
		{map[string]tftypes.Value{"order_by": str("created_at"), "image_type": str("private")}, false},
		{map[string]tftypes.Value{"visibility": str("shared")}, false},
		{map[string]tftypes.Value{"most_recent": tftypes.NewValue(tftypes.Bool, false)}, false},
	} {
		diags := selectionWarnings(configReader(c.args))
		got := diags.WarningsCount() == 1 && diags[0].Summary() == mostRecentWarningSummary
		if got != c.want || diags.WarningsCount() > 1 {
			t.Errorf("%v: warnings %v, want the open selection warning: %v", c.args, diags, c.want)
		}
	}
}

// Through terraform, the shared image of the second account wins without
// owner; with owner, the trusted publisher's.
func TestSafeSelection_ownerPinsThePublisher(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{})
	runTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.provider() + `
data "hwc_ims_image" "anyone" {
  visibility  = "shared"
  name        = "Ubuntu 24.04 server 64bit hardened"
  most_recent = true
}
data "hwc_ims_image" "trusted" {
  visibility  = "shared"
  name        = "Ubuntu 24.04 server 64bit hardened"
  owner       = "` + emulator.SharerOwner + `"
  most_recent = true
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hwc_ims_image.anyone", tfjsonpath.New("owner"), knownvalue.StringExact(emulator.SharerOwner2)),
				statecheck.ExpectKnownValue("data.hwc_ims_image.trusted", tfjsonpath.New("owner"), knownvalue.StringExact(emulator.SharerOwner)),
			},
		}},
	})
}

// The fewest requests: min_age is pushed to the API, and most_recent or
// order_by = "created_at" stop reading once the answer is settled.
func TestSafeSelection_requestCounts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		config string
		want   float64
	}{
		{"most_recent with min_age", `data "hwc_ims_image" "x" {
  most_recent = true
  min_age     = "72h"
}`, 1},
		{"order_by created_at with limit", `data "hwc_ims_images" "x" {
  order_by = "created_at"
  limit    = 10
}`, 1},
		{"order_by version reads everything", `data "hwc_ims_images" "x" {
  order_by = "version"
  limit    = 1
}`, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{Catalog: &emulator.Catalog{Images: numberedImages(1600)}})
			runTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    []resource.TestStep{{Config: env.provider() + c.config, Check: expectRequestsPerProcess(env, c.want)}},
			})
		})
	}
}
