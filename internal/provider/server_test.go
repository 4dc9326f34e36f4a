package provider

import (
	"context"
	"math/big"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

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
// for logs: the root loggers and each subsystem by name, so that the
// framework does not even prepare the TRACE lines of every attribute it
// validates (with the root off, a subsystem left unset still does).
func TestQuietLogs(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TF_ACC_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	quieted := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}
	for _, name := range quieted {
		t.Setenv(name, "")
	}
	for _, asked := range []string{"", "TF_LOG", "TF_LOG_PROVIDER_HWC", "TF_ACC_LOG_PATH"} {
		for _, name := range quieted {
			_ = os.Unsetenv(name)
		}
		if asked != "" {
			t.Setenv(asked, "DEBUG")
		}
		QuietLogs()
		want := "off"
		if asked != "" {
			want = ""
		}
		for _, name := range quieted {
			if got := os.Getenv(name); got != want {
				t.Errorf("with %q set: %s = %q, want %q", asked, name, got, want)
			}
		}
		if asked != "" {
			_ = os.Unsetenv(asked)
		}
	}
}

// TestStopProviderCancelsDirectReads: when Terraform asks the provider to
// stop (Ctrl-C), a read under way returns at once, as the framework's do.
func TestStopProviderCancelsDirectReads(t *testing.T) {
	emu := emulator.New(emulator.Options{Latency: time.Minute})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	ctx := context.Background()
	server := testServer()()
	schemas := configureServer(t, server, srv.URL)
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() {
		resp, _ := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "hwc_ims_images",
			Config: dynamicValue(t, schemas.DataSourceSchemas["hwc_ims_images"], map[string]any{"image_type": "gold"})})
		done <- resp
	}()
	for emu.Served() == 0 { // the read is under way
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case resp := <-done:
		if !hasError(resp.Diagnostics) {
			t.Errorf("the stopped read succeeded: %v", resp.Diagnostics)
		}
	case <-time.After(30 * time.Second): // the answer would take a minute
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
