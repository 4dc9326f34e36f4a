package provider

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// sparseImages have only the fields a listing needs: almost every attribute
// of their state is null.
func sparseImages() []emulator.Image {
	return []emulator.Image{
		{"id": "5a000000-0000-4000-8000-000000000001", "name": "sparse-1", "status": "active", "__imagetype": "private"},
		{"id": "5a000000-0000-4000-8000-000000000002", "name": "sparse-2", "status": "active", "__imagetype": "private",
			"created_at": "2025-03-01T00:00:00Z", "tags": []string{}, "__support_agent_list": ""},
	}
}

// TestDirectReadMatchesFramework reads the same configurations through the
// framework's server and through the provider's, and requires the same
// state bytes and the same diagnostics: results large and small, null-heavy
// images, every refinement, warnings and errors, in every data source.
func TestDirectReadMatchesFramework(t *testing.T) {
	// min_age counts back from now, and query shows the bound: both reads
	// must see the same now. The test is not parallel, so no other reads.
	fixed := time.Now()
	now = func() time.Time { return fixed }
	defer func() { now = time.Now }()
	catalog := *emulator.DefaultCatalog()
	catalog.Images = append(slices.Clone(catalog.Images), sparseImages()...)
	projects, catalogs := emulator.Regions([]string{emulator.DefaultRegion, "ap-southeast-3"}, emulator.DefaultProjectID, nil)
	srv := httptest.NewServer(emulator.New(emulator.Options{Catalog: &catalog, Projects: projects, RegionCatalogs: catalogs}))
	defer srv.Close()

	var marketIDs []string
	for _, img := range catalog.MarketImages {
		marketIDs = append(marketIDs, img["image_id"].(string))
	}

	ctx := context.Background()
	framework := providerserver.NewProtocol6(New("test")())()
	direct := NewProtocolServer("test")()
	schemas, err := framework.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	providerConfig := map[string]any{
		"region": emulator.DefaultRegion, "access_key": emulator.DefaultAccessKey, "secret_key": emulator.DefaultSecretKey,
		"endpoints": map[string]string{"ims": srv.URL, "workspace": srv.URL, "iam": srv.URL},
	}
	for _, s := range []tfprotov6.ProviderServer{framework, direct} {
		resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(t, schemas.Provider, providerConfig)})
		if err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("configure: %v %v", err, resp.Diagnostics)
		}
	}

	for _, c := range []struct {
		typeName string
		config   map[string]any
	}{
		{"hwc_ims_images", map[string]any{}},
		{"hwc_ims_images", map[string]any{"name_regex": "^sparse-"}},
		{"hwc_ims_images", map[string]any{"image_type": "private", "name_regex": "^webapp", "most_recent": true}},
		{"hwc_ims_images", map[string]any{"image_type": "gold", "platform": "Ubuntu", "order_by": "version", "limit": 7}},
		{"hwc_ims_images", map[string]any{"image_type": "private", "exclude_name_regex": "^webapp", "exclude_ids": []string{"5a000000-0000-4000-8000-000000000001"}, "min_age": "72h"}},
		{"hwc_ims_images", map[string]any{"image_type": "private", "tags": []string{"team=web", "env=prod"}, "status": "queued"}},
		{"hwc_ims_images", map[string]any{"region": "ap-southeast-3", "image_type": "gold", "os_type": "Windows", "timeouts": map[string]string{"read": "5m"}}},
		{"hwc_ims_images", map[string]any{"name_regex": "("}},
		{"hwc_ims_images", map[string]any{"region": "xx-nowhere-1"}},
		{"hwc_ims_image", map[string]any{"name": "sparse-1"}},
		{"hwc_ims_image", map[string]any{"name": "sparse-2", "image_type": "private"}},
		{"hwc_ims_image", map[string]any{"image_type": "private", "name_regex": "^webapp", "most_recent": true, "tags": []string{"team=web"}}},
		{"hwc_ims_image", map[string]any{"image_type": "gold", "platform": "Ubuntu", "most_recent": true, "order_by": "version"}},
		{"hwc_ims_image", map[string]any{"name": "webapp-2.4.1"}},
		{"hwc_ims_image", map[string]any{"image_type": "private", "name_regex": "^webapp"}},
		{"hwc_workspace_market_images", map[string]any{"image_ids": append(marketIDs, "no-such-image"), "require_all": false}},
		{"hwc_workspace_market_images", map[string]any{"image_ids": []string{"no-such-image"}, "require_all": true}},
	} {
		t.Run(fmt.Sprintf("%s %v", c.typeName, c.config), func(t *testing.T) {
			req := &tfprotov6.ReadDataSourceRequest{TypeName: c.typeName, Config: dynamicValue(t, schemas.DataSourceSchemas[c.typeName], c.config)}
			want, err := framework.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := direct.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
				t.Errorf("diagnostics differ (-framework +direct):\n%s", diff)
			}
			if (want.State == nil) != (got.State == nil) || want.State != nil && !bytes.Equal(want.State.MsgPack, got.State.MsgPack) {
				t.Errorf("state differs: framework %d bytes, direct %d bytes", stateSize(want.State), stateSize(got.State))
			}
			if want.State == nil || len(want.State.MsgPack) < 100 && !hasError(want.Diagnostics) {
				t.Errorf("the framework read no state (%d bytes): the case tests nothing", stateSize(want.State))
			}
		})
	}
}

func stateSize(v *tfprotov6.DynamicValue) int {
	if v == nil {
		return -1
	}
	return len(v.MsgPack)
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError })
}

// dynamicValue encodes a configuration of the schema: attrs holds Go values
// by attribute name, everything else is null.
func dynamicValue(t testing.TB, s *tfprotov6.Schema, attrs map[string]any) *tfprotov6.DynamicValue {
	t.Helper()
	typ := s.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = goValue(t, at, attrs[name])
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func goValue(t testing.TB, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return tftypes.NewValue(typ, nil)
	case int:
		return tftypes.NewValue(typ, big.NewFloat(float64(v)))
	case []string:
		var elems []tftypes.Value
		for _, s := range v {
			elems = append(elems, tftypes.NewValue(tftypes.String, s))
		}
		return tftypes.NewValue(typ, elems)
	case map[string]string:
		elems := map[string]tftypes.Value{}
		if obj, ok := typ.(tftypes.Object); ok {
			for name, at := range obj.AttributeTypes {
				elems[name] = tftypes.NewValue(at, nil)
			}
		}
		for k, s := range v {
			elems[k] = tftypes.NewValue(tftypes.String, s)
		}
		return tftypes.NewValue(typ, elems)
	default:
		return tftypes.NewValue(typ, v)
	}
}

// TestQuietLogs turns the SDKs' logs off only when no TF_LOG variable asks
// for logs.
func TestQuietLogs(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	t.Setenv("TF_LOG_SDK", "")
	t.Setenv("TF_LOG_PROVIDER", "")
	for _, asked := range []string{"", "TF_LOG", "TF_LOG_PROVIDER_HWC", "TF_ACC_LOG_PATH"} {
		_ = os.Unsetenv("TF_LOG_SDK")
		_ = os.Unsetenv("TF_LOG_PROVIDER")
		if asked != "" {
			t.Setenv(asked, "DEBUG")
		}
		QuietLogs()
		want := "off"
		if asked != "" {
			want = ""
		}
		if got := os.Getenv("TF_LOG_SDK"); got != want {
			t.Errorf("with %q set: TF_LOG_SDK = %q, want %q", asked, got, want)
		}
		if asked != "" {
			_ = os.Unsetenv(asked)
		}
	}
}

// TestStopProviderCancelsDirectReads: when Terraform asks the provider to
// stop (Ctrl-C), a read under way returns at once, as the framework's do.
func TestStopProviderCancelsDirectReads(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{Latency: time.Minute}))
	defer srv.Close()
	ctx := context.Background()
	server := NewProtocolServer("test")()
	schemas := configureServer(t, server, srv.URL)
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() {
		resp, _ := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hwc_ims_images",
			Config: dynamicValue(t, schemas.DataSourceSchemas["hwc_ims_images"], map[string]any{"image_type": "gold"})})
		done <- resp
	}()
	time.Sleep(200 * time.Millisecond)
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if !hasError(resp.Diagnostics) {
			t.Errorf("the stopped read succeeded: %v", resp.Diagnostics)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read went on after StopProvider")
	}
}

// configureServer configures a protocol server for the emulator at url, and
// returns its schemas.
func configureServer(t testing.TB, server tfprotov6.ProviderServer, url string) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(t, schemas.Provider, map[string]any{
		"region": emulator.DefaultRegion, "project_id": emulator.DefaultProjectID,
		"access_key": emulator.DefaultAccessKey, "secret_key": emulator.DefaultSecretKey,
		"endpoints": map[string]string{"ims": url, "workspace": url, "iam": url},
	})})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, configured.Diagnostics)
	}
	return schemas
}
