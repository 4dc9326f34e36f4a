package directread

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testProvider "t" has data sources of each kind the server tells apart.
type testProvider struct{}

func (testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "t"
}
func (testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (testProvider) Configure(_ context.Context, _ provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	resp.DataSourceData = "configured"
}
func (testProvider) Resources(context.Context) []func() resource.Resource { return nil }
func (testProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		func() datasource.DataSource { return &reader{name: "reader"} },
		func() datasource.DataSource { return &reader{name: "broken", broken: true} },
		func() datasource.DataSource { return &reader{name: "blocking", block: true} },
		func() datasource.DataSource { return &reader{name: "int64", int64: true} },
		func() datasource.DataSource { return &plain{} },
		func() datasource.DataSource { return &checked{} },
	}
}

// reader is a Reader with a string argument, a computed string, a set whose
// diagnostics name its elements, and a list that writes itself. broken
// returns a state its schema does not hold; block waits for the read's end;
// int64 has an Int64 attribute, which the direct path leaves alone.
type reader struct {
	name                 string
	broken, block, int64 bool
	data                 any
}

func (r *reader) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.name
}

func (r *reader) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"in":    schema.StringAttribute{Optional: true},
		"tags":  schema.SetAttribute{Optional: true, ElementType: types.StringType},
		"out":   schema.StringAttribute{Computed: true},
		"items": schema.ListAttribute{Computed: true, ElementType: types.StringType},
	}}
	if r.int64 {
		resp.Schema.Attributes["n"] = schema.Int64Attribute{Computed: true}
	}
}

func (r *reader) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	r.data = req.ProviderData
}

func (r *reader) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	st, ok := r.ReadState(ctx, req.Config, &resp.Diagnostics)
	if !ok {
		return
	}
	for name, l := range st.Lists {
		st.Attrs[name] = l.Value()
	}
	typ := resp.State.Schema.Type().TerraformType(ctx)
	if err := tftypes.ValidateValue(typ, st.Attrs); err != nil {
		resp.Diagnostics.AddError("Unable to Build the State", err.Error())
		return
	}
	resp.State.Raw = tftypes.NewValue(typ, st.Attrs)
}

// badValue is a value whose conversion to a Terraform value fails.
type badValue struct{ basetypes.StringValue }

func (badValue) ToTerraformValue(context.Context) (tftypes.Value, error) {
	return tftypes.Value{}, errors.New("no conversion")
}

func (r *reader) ReadState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (State, bool) {
	var in types.String
	diags.Append(config.GetAttribute(ctx, path.Root("in"), &in)...)
	switch {
	case r.block:
		<-ctx.Done()
		diags.AddError("Stopped", ctx.Err().Error())
		return State{}, false
	case in.ValueString() == "diagnostics":
		// A diagnostic on each kind of path step, and one whose element
		// key cannot be converted.
		diags.AddAttributeWarning(path.Root("in"), "name", "")
		diags.AddAttributeWarning(path.Root("items").AtListIndex(3), "index", "")
		diags.AddAttributeWarning(path.Root("m").AtMapKey("k"), "key", "")
		diags.AddAttributeWarning(path.Root("tags").AtSetValue(types.StringValue("x")), "value", "")
		diags.AddAttributeError(path.Root("tags").AtSetValue(badValue{}), "unconvertible", "detail")
		diags.AddWarning("no path", "")
		return State{}, false
	}
	if r.data != "configured" {
		diags.AddError("Not Configured", "the provider data did not arrive")
		return State{}, false
	}
	attrs := map[string]tftypes.Value{
		"in":   tftypes.NewValue(tftypes.String, in.ValueString()),
		"tags": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, nil),
		"out":  tftypes.NewValue(tftypes.String, "read "+in.ValueString()),
	}
	if r.broken {
		attrs["out"] = tftypes.NewValue(tftypes.Number, 1)
	}
	if r.int64 {
		attrs["n"] = tftypes.NewValue(tftypes.Number, 7)
	}
	return State{Attrs: attrs, Lists: map[string]List{"items": stringList{"a", "b", in.ValueString()}}}, true
}

// stringList is a List of strings.
type stringList []string

func (l stringList) Value() tftypes.Value {
	vals := make([]tftypes.Value, len(l))
	for i, s := range l {
		vals[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

func (l stringList) Encode(w *Writer) error {
	if err := w.ArrayLen(len(l)); err != nil {
		return err
	}
	for _, s := range l {
		if err := w.String(s); err != nil {
			return err
		}
	}
	return nil
}

// plain is a data source written only for the framework.
type plain struct{}

func (plain) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plain"
}
func (plain) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{"out": schema.StringAttribute{Computed: true}}}
}
func (plain) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("out"), "framework")...)
}

func testServers(t *testing.T, hooks Hooks) (direct, framework tfprotov6.ProviderServer) {
	t.Helper()
	hooks.ProviderData = func() any { return "configured" }
	direct = Wrap(testProvider{}, hooks)
	framework = Wrap(testProvider{}, Hooks{FrameworkOnly: true})
	for _, s := range []tfprotov6.ProviderServer{direct, framework} {
		ctx := context.Background()
		if _, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
			t.Fatal(err)
		}
		cfg, err := tfprotov6.NewDynamicValue(tftypes.Object{}, tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{}))
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg}); err != nil || len(resp.Diagnostics) > 0 {
			t.Fatal(err, resp.Diagnostics)
		}
	}
	return direct, framework
}

func readRequest(t *testing.T, typeName, in string, withInt64 bool) *tfprotov6.ReadDataSourceRequest {
	t.Helper()
	attrs := map[string]tftypes.Type{"in": tftypes.String, "tags": tftypes.Set{ElementType: tftypes.String}, "out": tftypes.String,
		"items": tftypes.List{ElementType: tftypes.String}}
	vals := map[string]tftypes.Value{"in": tftypes.NewValue(tftypes.String, in), "tags": tftypes.NewValue(attrs["tags"], nil),
		"out": tftypes.NewValue(tftypes.String, nil), "items": tftypes.NewValue(attrs["items"], nil)}
	if withInt64 {
		attrs["n"], vals["n"] = tftypes.Number, tftypes.NewValue(tftypes.Number, nil)
	}
	typ := tftypes.Object{AttributeTypes: attrs}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &cfg}
}

// The server has every method of the framework's, so that
// terraform-plugin-go, which looks for optional interfaces (list resources,
// actions, state stores) by type assertion, finds each of them.
func TestServerHasEveryMethodOfTheFramework(t *testing.T) {
	framework := reflect.TypeOf(providerserver.NewProtocol6(testProvider{})())
	ours := reflect.TypeOf(Wrap(testProvider{}, Hooks{}))
	if ours == framework {
		t.Fatal("Wrap returned the framework's server: the direct path is off")
	}
	for i := range framework.NumMethod() {
		if m := framework.Method(i); m.IsExported() {
			if _, ok := ours.MethodByName(m.Name); !ok {
				t.Errorf("the server lacks %s, which the framework's has", m.Name)
			}
		}
	}
}

// Readers with a plain schema take the direct path; a data source written
// for the framework alone, or with an Int64 attribute, does not, and is read
// by the framework all the same.
func TestDataSourcesTakeTheDirectPathByWhatTheyAre(t *testing.T) {
	ctx := context.Background()
	got := slices.Sorted(slices.Values(DataSources(ctx, testProvider{})))
	if want := []string{"t_blocking", "t_broken", "t_checked", "t_reader"}; !slices.Equal(got, want) {
		t.Errorf("the direct path takes %v, want %v", got, want)
	}
	direct, framework := testServers(t, Hooks{})
	for _, c := range []struct {
		typeName string
		int64    bool
	}{{"t_reader", false}, {"t_int64", true}} {
		req := readRequest(t, c.typeName, "x", c.int64)
		want, _ := framework.ReadDataSource(ctx, req)
		got, _ := direct.ReadDataSource(ctx, req)
		if want.State == nil || len(want.Diagnostics) > 0 || !bytes.Equal(want.State.MsgPack, got.State.MsgPack) || !cmp.Equal(want.Diagnostics, got.Diagnostics) {
			t.Errorf("%s: the direct path answered %+v, the framework %+v", c.typeName, got, want)
		}
	}
	plainCfg, _ := tfprotov6.NewDynamicValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"out": tftypes.String}},
		tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"out": tftypes.String}}, map[string]tftypes.Value{"out": tftypes.NewValue(tftypes.String, nil)}))
	resp, _ := direct.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "t_plain", Config: &plainCfg})
	if resp.State == nil || len(resp.Diagnostics) > 0 {
		t.Errorf("the framework data source was not read: %+v", resp)
	}
}

// Diagnostics reach Terraform as the framework would send them, for every
// kind of path step, an unconvertible element key included.
func TestDiagnosticsAsTheFramework(t *testing.T) {
	ctx := context.Background()
	direct, framework := testServers(t, Hooks{})
	req := readRequest(t, "t_reader", "diagnostics", false)
	want, _ := framework.ReadDataSource(ctx, req)
	got, _ := direct.ReadDataSource(ctx, req)
	if len(want.Diagnostics) != 7 || want.Diagnostics[4].Summary != "Unable to Convert Attribute Path" {
		t.Fatalf("the framework gave %d diagnostics, want the 6 and its conversion error before the unconvertible one: %+v", len(want.Diagnostics), want.Diagnostics)
	}
	if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
		t.Errorf("diagnostics differ (-framework +direct):\n%s", diff)
	}
	if want.State == nil || got.State == nil || !bytes.Equal(want.State.MsgPack, got.State.MsgPack) {
		t.Errorf("the state of a failed read differs: framework %v, direct %v", want.State, got.State)
	}
}

// Requests the direct path does not know go to the framework.
func TestDirectPathTakesOnlyWhatItUnderstands(t *testing.T) {
	deferred := false
	s, ok := Wrap(testProvider{}, Hooks{Deferred: func() bool { return deferred }}).(*server)
	if !ok {
		t.Fatal("Wrap returned the framework's server")
	}
	for name, c := range map[string]struct {
		req  *tfprotov6.ReadDataSourceRequest
		want bool
	}{
		"plain":            {&tfprotov6.ReadDataSourceRequest{}, true},
		"deferral allowed": {&tfprotov6.ReadDataSourceRequest{ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true}}, true},
		"provider_meta":    {&tfprotov6.ReadDataSourceRequest{ProviderMeta: &tfprotov6.DynamicValue{MsgPack: []byte{0xc0}}}, false},
	} {
		if got := s.understands(c.req); got != c.want {
			t.Errorf("%s: understands = %v, want %v", name, got, c.want)
		}
	}
	deferred = true
	if s.understands(&tfprotov6.ReadDataSourceRequest{}) {
		t.Error("the reads of a deferred provider were taken by the direct path")
	}
	if only, _ := Wrap(testProvider{}, Hooks{FrameworkOnly: true}).(*server); only.understands(&tfprotov6.ReadDataSourceRequest{}) {
		t.Error("FrameworkOnly: a read was taken by the direct path")
	}
}

// A state the direct path cannot encode is not answered there: the read
// goes to the framework, which reports it, instead of returning no state.
func TestEncodingFailureGoesToTheFramework(t *testing.T) {
	direct, _ := testServers(t, Hooks{})
	resp, err := direct.ReadDataSource(context.Background(), readRequest(t, "t_broken", "x", false))
	if err != nil || len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Errorf("a state that does not fit the schema gave %v %+v, want the framework's error", err, resp)
	}
}

// When Terraform asks the provider to stop, a read under way returns at
// once, and the Stop hook runs.
func TestStopProviderCancelsReads(t *testing.T) {
	stopped := make(chan struct{})
	direct, _ := testServers(t, Hooks{Stop: func() { close(stopped) }})
	done := make(chan *tfprotov6.ReadDataSourceResponse)
	go func() {
		resp, _ := direct.ReadDataSource(context.Background(), readRequest(t, "t_blocking", "x", false))
		done <- resp
	}()
	time.Sleep(50 * time.Millisecond) // the read is under way, or about to be: it ends either way
	if _, err := direct.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	<-stopped
	select {
	case resp := <-done:
		if len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Summary != "Stopped" {
			t.Errorf("the stopped read answered %+v", resp)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the read went on after StopProvider")
	}
}
