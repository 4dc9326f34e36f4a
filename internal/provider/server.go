package provider

import (
	"context"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The protocol server: the framework's, with data source reads answered
// directly. After a data source's Read, the framework walks every value of
// the state twice — semantic equality and the reification of null list and
// set blocks, each resolving the schema path of every value, and converting
// each value through its attribute type — before it encodes the state. With
// hundreds of images of some 60 attributes, most of them null, that walk
// costs far more than the read.
//
// The walks change nothing, and fail nowhere, for a schema of plain String,
// Bool and Number attributes, lists, sets, objects and nested attributes of
// them, and single nested blocks whose types have no semantic equality (the
// timeouts block). For a
// data source with such a schema, the server calls the data source's own
// Configure and readState, as the framework would call Read, and encodes the
// state it returns. Everything else goes to the framework: other data
// sources, every request this path does not understand (a deferred provider,
// client capabilities or provider_meta it does not know), a read whose state
// cannot be encoded, and every read when HWC_READ_PATH=framework.

// NewProtocolServer returns the factory of the provider's protocol 6 server
// for a release version.
func NewProtocolServer(version string, opts ...Option) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &hwcProvider{version: version, settings: newSettings(opts)}
		framework := providerserver.NewProtocol6(p)()
		fw, ok := framework.(frameworkServer)
		if !ok {
			return framework // a framework without one of the interfaces below: no direct path
		}
		return &protocolServer{frameworkServer: fw, provider: p}
	}
}

// frameworkServer is every interface the framework's server implements, so
// that terraform-plugin-go finds each of them on the provider's server too
// (TestServerHasEveryMethodOfTheFramework compares the method sets).
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type protocolServer struct {
	frameworkServer
	provider *hwcProvider

	directOnce sync.Once
	direct     map[string]directDataSource // by type name

	mu     sync.Mutex
	stop   context.Context // done when Terraform asks the provider to stop
	stopFn context.CancelFunc
}

var _ frameworkServer = (*protocolServer)(nil)

// directDataSource is a data source whose reads the server answers.
type directDataSource struct {
	factory func() datasource.DataSource
	schema  schema.Schema
	typ     tftypes.Object
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.directOnce.Do(func() { s.direct = directDataSources(ctx, s.provider) })
	ds, ok := s.direct[req.TypeName]
	if !ok || !s.understands(req) {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.stopContext(), cancel)()
	resp, encoded := ds.read(readCtx, req, s.provider.dataSourceData())
	if !encoded {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	return resp, nil
}

// understands reports whether the direct path knows everything the request
// and the provider's configuration ask for.
func (s *protocolServer) understands(req *tfprotov6.ReadDataSourceRequest) bool {
	if s.provider.settings.frameworkReads || s.provider.deferred.Load() || req.ProviderMeta != nil {
		return false
	}
	if c := req.ClientCapabilities; c != nil {
		known := *c
		known.DeferralAllowed = false // only a deferred provider defers, and its reads go to the framework
		return known == tfprotov6.ReadDataSourceClientCapabilities{}
	}
	return true
}

// StopProvider cancels the reads under way, as the framework does for its
// own, and the project look-ups no read owns.
func (s *protocolServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.provider.stop()
	s.mu.Lock()
	if s.stopFn != nil {
		s.stopFn()
	}
	s.stop, s.stopFn = nil, nil
	s.mu.Unlock()
	return s.frameworkServer.StopProvider(ctx, req)
}

// stopContext is done when StopProvider is next called.
func (s *protocolServer) stopContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop == nil {
		s.stop, s.stopFn = context.WithCancel(context.Background())
	}
	return s.stop
}

// directDataSources picks the data sources that read their state as a
// readResult and whose schemas the direct path encodes as the framework
// would (see directSchema).
func directDataSources(ctx context.Context, p *hwcProvider) map[string]directDataSource {
	direct := map[string]directDataSource{}
	for _, factory := range p.DataSources(ctx) {
		d := factory()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "hwc"}, &meta)
		var sch datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sch)
		typ, isObject := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if _, ok := d.(stateReader); !ok || !isObject || sch.Diagnostics.HasError() || !directSchema(ctx, sch.Schema.Attributes, sch.Schema.Blocks) {
			continue
		}
		direct[meta.TypeName] = directDataSource{factory: factory, schema: sch.Schema, typ: typ}
	}
	return direct
}

// directSchema reports whether the framework's walks over a state of these
// attributes and blocks change nothing and cannot fail: plain String, Bool
// and Number attributes, lists, sets and objects of them, and single nested
// blocks of those whose type, when custom, has no semantic equality. Int64
// and Float64 are not: their conversion fails on values a server may send
// (2.5, 1e300), and the direct path would hide that.
func directSchema(ctx context.Context, attrs map[string]schema.Attribute, blocks map[string]schema.Block) bool {
	for _, a := range attrs {
		if !directAttribute(a) {
			return false
		}
	}
	for _, b := range blocks {
		single, ok := b.(schema.SingleNestedBlock)
		if !ok || single.CustomType != nil && hasSemanticEquality(single.CustomType.ValueType(ctx)) ||
			!directSchema(ctx, single.Attributes, single.Blocks) {
			return false
		}
	}
	return true
}

func directAttribute(a schema.Attribute) bool {
	switch a.(type) {
	case schema.StringAttribute, schema.BoolAttribute, schema.NumberAttribute, schema.ListAttribute, schema.SetAttribute,
		schema.ObjectAttribute, schema.ListNestedAttribute, schema.SetNestedAttribute, schema.SingleNestedAttribute:
		return plainType(a.GetType()) // a custom type anywhere inside is not a basetypes type
	}
	return false
}

// plainType reports the framework's own String, Bool and Number types, and
// lists, sets and objects of them: no custom type, no Int64 or Float64.
func plainType(t attr.Type) bool {
	switch t := t.(type) {
	case basetypes.StringType, basetypes.BoolType, basetypes.NumberType:
		return true
	case basetypes.ListType:
		return plainType(t.ElemType)
	case basetypes.SetType:
		return plainType(t.ElemType)
	case basetypes.ObjectType:
		for _, at := range t.AttrTypes {
			if !plainType(at) {
				return false
			}
		}
		return true
	}
	return false
}

// hasSemanticEquality reports whether a value type takes part in the
// framework's semantic equality (a method named …SemanticEquals).
func hasSemanticEquality(v attr.Value) bool {
	t := reflect.TypeOf(v)
	for i := range t.NumMethod() {
		if strings.HasSuffix(t.Method(i).Name, "SemanticEquals") {
			return true
		}
	}
	return false
}

// read configures a new instance of the data source, reads its state and
// encodes it. Like the framework, it returns the configuration as the state
// of a failed read. It reports false when a state could not be encoded, for
// the framework to answer instead.
func (ds directDataSource) read(ctx context.Context, req *tfprotov6.ReadDataSourceRequest, providerData any) (*tfprotov6.ReadDataSourceResponse, bool) {
	resp := &tfprotov6.ReadDataSourceResponse{}
	var config tftypes.Value
	if req.Config != nil {
		var err error
		if config, err = req.Config.Unmarshal(ds.typ); err != nil {
			return nil, false
		}
	}
	d, _ := ds.factory().(stateReader)
	var configured datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: providerData}, &configured)
	diags := configured.Diagnostics
	if !diags.HasError() {
		res, ok := d.readState(ctx, tfsdk.Config{Raw: config, Schema: ds.schema}, &diags)
		var state tfprotov6.DynamicValue
		var err error
		if ok {
			state, err = encodeResult(ds.typ, res)
		} else {
			state, err = encodeState(ds.typ, config)
		}
		if err != nil {
			return nil, false
		}
		resp.State = &state
	}
	resp.Diagnostics = protocolDiagnostics(ctx, diags)
	return resp, true
}

// protocolDiagnostics converts diagnostics as the framework does.
func protocolDiagnostics(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityInvalid}
		switch d.Severity() {
		case diag.SeverityError:
			pd.Severity = tfprotov6.DiagnosticSeverityError
		case diag.SeverityWarning:
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(ctx, withPath.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a framework path to a protocol one; nil when a
// step cannot be converted.
func attributePath(ctx context.Context, p path.Path) *tftypes.AttributePath {
	var steps []tftypes.AttributePathStep
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			steps = append(steps, tftypes.AttributeName(s))
		case path.PathStepElementKeyInt:
			steps = append(steps, tftypes.ElementKeyInt(s))
		case path.PathStepElementKeyString:
			steps = append(steps, tftypes.ElementKeyString(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return nil
			}
			steps = append(steps, tftypes.ElementKeyValue(v))
		default:
			return nil
		}
	}
	return tftypes.NewAttributePathWithSteps(steps)
}

// QuietLogs turns the logs of the provider and of its SDKs off unless a
// TF_LOG variable is set. Terraform hands a provider its environment, and
// drops every log line of the provider when none is set; but the SDKs write
// their TRACE lines all the same, and Terraform parses each one: for a few
// data sources with many validated attributes, that costs more than reading
// them.
func QuietLogs() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK", "off")
	_ = os.Setenv("TF_LOG_PROVIDER", "off")
}
