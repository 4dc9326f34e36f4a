package directread

import (
	"context"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Hooks are what the server needs of the provider besides the framework's
// interface.
type Hooks struct {
	// ProviderData returns what the provider's Configure handed to its
	// data sources (ConfigureResponse.DataSourceData), nil before.
	ProviderData func() any
	// Deferred reports whether the provider's Configure deferred it (the
	// framework then defers every read); nil for a provider that never
	// defers.
	Deferred func() bool
	// FrameworkOnly sends every read to the framework.
	FrameworkOnly bool
	// Stop, when set, is called when Terraform asks the provider to stop,
	// for work of the provider that no read owns; the reads under way are
	// cancelled by the server.
	Stop func()
}

// Wrap returns the framework's protocol 6 server for p, with the reads of
// its Reader data sources answered directly (see the package comment).
// Every other request, and every read the direct path does not fully
// understand — client capabilities or provider_meta it does not know, a
// deferred provider, a state it cannot encode — goes to the framework.
func Wrap(p provider.Provider, hooks Hooks) tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)()
	fw, ok := framework.(frameworkServer)
	if !ok {
		return framework // a framework without one of the interfaces below: no direct path
	}
	return &server{frameworkServer: fw, provider: p, hooks: hooks}
}

// frameworkServer is every interface the framework's server implements, so
// that terraform-plugin-go finds each of them on this server too
// (TestServerHasEveryMethodOfTheFramework compares the method sets).
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type server struct {
	frameworkServer
	provider provider.Provider
	hooks    Hooks

	directOnce sync.Once
	direct     map[string]dataSource // by type name

	mu     sync.Mutex
	stop   context.Context // done when Terraform asks the provider to stop
	stopFn context.CancelFunc
}

var _ frameworkServer = (*server)(nil)

// dataSource is a Reader data source whose reads the server answers.
type dataSource struct {
	factory   func() datasource.DataSource
	schema    schema.Schema
	typ       tftypes.Object
	validates bool // see validatable
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.directOnce.Do(func() { s.direct = directDataSources(ctx, s.provider) })
	ds, ok := s.direct[req.TypeName]
	if !ok || !s.understands(req) {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.stopContext(), cancel)()
	resp, encoded := ds.read(readCtx, req, s.providerData())
	if !encoded {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	return resp, nil
}

// ValidateDataResourceConfig validates the configurations of the direct
// data sources whose schemas are validatable (see validate.go).
func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	s.directOnce.Do(func() { s.direct = directDataSources(ctx, s.provider) })
	if ds, ok := s.direct[req.TypeName]; ok && ds.validates && !s.hooks.FrameworkOnly {
		if resp, ok := ds.validate(ctx, req, s.providerData()); ok {
			return resp, nil
		}
	}
	return s.frameworkServer.ValidateDataResourceConfig(ctx, req)
}

// providerData is what the provider's Configure handed to its data
// sources, nil before.
func (s *server) providerData() any {
	if s.hooks.ProviderData == nil {
		return nil
	}
	return s.hooks.ProviderData()
}

// understands reports whether the direct path knows everything the request
// and the provider's configuration ask for.
func (s *server) understands(req *tfprotov6.ReadDataSourceRequest) bool {
	if s.hooks.FrameworkOnly || s.hooks.Deferred != nil && s.hooks.Deferred() || req.ProviderMeta != nil {
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
// own, and calls the Stop hook.
func (s *server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	if s.hooks.Stop != nil {
		s.hooks.Stop()
	}
	s.mu.Lock()
	if s.stopFn != nil {
		s.stopFn()
	}
	s.stop, s.stopFn = nil, nil
	s.mu.Unlock()
	return s.frameworkServer.StopProvider(ctx, req)
}

// stopContext is done when StopProvider is next called.
func (s *server) stopContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stop == nil {
		s.stop, s.stopFn = context.WithCancel(context.Background())
	}
	return s.stop
}

// directDataSources picks the Readers whose schemas the direct path
// encodes as the framework would (see directSchema), by type name.
func directDataSources(ctx context.Context, p provider.Provider) map[string]dataSource {
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	direct := map[string]dataSource{}
	for _, factory := range p.DataSources(ctx) {
		d := factory()
		var dsMeta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &dsMeta)
		var sch datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sch)
		typ, isObject := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if _, ok := d.(Reader); !ok || !isObject || sch.Diagnostics.HasError() || !directSchema(ctx, sch.Schema.Attributes, sch.Schema.Blocks) {
			continue
		}
		direct[dsMeta.TypeName] = dataSource{factory: factory, schema: sch.Schema, typ: typ, validates: validatable(sch.Schema)}
	}
	return direct
}

// DataSources lists the type names of p's data sources the direct path
// answers: the Readers whose schemas it encodes as the framework would.
func DataSources(ctx context.Context, p provider.Provider) []string {
	var names []string
	for name := range directDataSources(ctx, p) {
		names = append(names, name)
	}
	return names
}

// ValidatedDataSources lists the type names of p's data sources whose
// configurations the direct path validates.
func ValidatedDataSources(ctx context.Context, p provider.Provider) []string {
	var names []string
	for name, ds := range directDataSources(ctx, p) {
		if ds.validates {
			names = append(names, name)
		}
	}
	return names
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
func (ds dataSource) read(ctx context.Context, req *tfprotov6.ReadDataSourceRequest, providerData any) (*tfprotov6.ReadDataSourceResponse, bool) {
	resp := &tfprotov6.ReadDataSourceResponse{}
	var config tftypes.Value
	if req.Config != nil {
		var err error
		if config, err = req.Config.Unmarshal(ds.typ); err != nil {
			return nil, false
		}
	}
	d, _ := ds.factory().(Reader)
	var configured datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: providerData}, &configured)
	diags := configured.Diagnostics
	if !diags.HasError() {
		st, ok := d.ReadState(ctx, tfsdk.Config{Raw: config, Schema: ds.schema}, &diags)
		var state tfprotov6.DynamicValue
		var err error
		if ok {
			state, err = encodeResult(ds.typ, st)
		} else {
			state, err = encodeState(ds.typ, config)
		}
		if err != nil {
			return nil, false
		}
		resp.State = &state
	}
	resp.Diagnostics = diagnostics(ctx, diags)
	return resp, true
}
