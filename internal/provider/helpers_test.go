package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/providertest"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/unknownhosts"
)

func TestMain(m *testing.M) {
	// Provider tests run against the emulator: waits between retries are
	// shortened, and the developer's own HW_* settings must not leak in.
	// Host names resolve through a loopback DNS server that knows none, so
	// no test sends a query off the machine.
	dns, err := unknownhosts.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testOptions = []Option{WithRetryWaits(5*time.Millisecond, 50*time.Millisecond), WithResolver(dns.Resolver())}
	os.Exit(providertest.Main(m))
}

// testEnv is an emulator on loopback, with the provider it tests.
type testEnv struct{ *providertest.Emulator }

func newTestEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	return &testEnv{providertest.NewEmulator(t, opts)}
}

// factories serve the provider with testOptions.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){"hwc": withError(testServer())}
}

// planDiagnostics is providertest.PlanDiagnostics with the provider served
// as tests serve it.
func planDiagnostics(t *testing.T, config string) []providertest.PlanDiagnostic {
	t.Helper()
	return providertest.PlanDiagnostics(t, withError(testServer()), config)
}

// testOptions are the Options of every provider a test serves (TestMain).
var testOptions []Option

// testServer is the provider's server with testOptions, then opts.
func testServer(opts ...Option) func() tfprotov6.ProviderServer {
	return NewProtocolServer("test", append(slices.Clone(testOptions), opts...)...)
}

// withError adapts a server factory to the test framework's.
func withError(factory func() tfprotov6.ProviderServer) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return factory(), nil }
}

// image builds a catalog image with the fields every listing needs.
func image(id, name, createdAt string, extra map[string]any) emulator.Image {
	img := emulator.Image{
		"id": id, "name": name, "created_at": createdAt, "updated_at": createdAt,
		"status": "active", "visibility": "private", "__imagetype": "private", "__os_type": "Linux",
	}
	for k, v := range extra {
		img[k] = v
	}
	return img
}

// numberedImages builds n images, newest first by a minute each.
func numberedImages(n int) []emulator.Image {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]emulator.Image, n)
	for i := range out {
		out[i] = image(fmt.Sprintf("00000000-0000-4000-8000-1%011d", i), fmt.Sprintf("img-%04d", i),
			base.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), nil)
	}
	return out
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func names(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func stringChecks(values []string) []knownvalue.Check {
	out := make([]knownvalue.Check, len(values))
	for i, v := range values {
		out[i] = knownvalue.StringExact(v)
	}
	return out
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

var yes = tftypes.NewValue(tftypes.Bool, true)

// recordsNamed decodes a listing page of images with these names.
func recordsNamed(t *testing.T, names []string) []client.Record {
	t.Helper()
	page := make([]map[string]string, len(names))
	for i, n := range names {
		page[i] = map[string]string{"id": fmt.Sprint(i), "name": n}
	}
	body, err := json.Marshal(map[string]any{"images": page})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := client.DecodeImages(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
