package provider

import (
	"context"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The protocol server: the framework's, with data source reads answered
// directly. After a data source's Read, the framework walks every value of
// the state twice — semantic equality and the reification of null list and
// set blocks, each resolving the schema path of every value — before it
// encodes the state. With hundreds of images of some 60 attributes, most of
// them null, that walk costs far more than the read. Neither walk can change
// a state whose schema has no list or set blocks and no type with semantic
// equality, which is what every data source here has: for those, the server
// calls the data source's own Configure and Read, as the framework would, and
// encodes the state it returns. Everything else goes to the framework.

// NewProtocolServer returns the factory of the provider's protocol 6 server
// for a release version.
func NewProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &hwcProvider{version: version}
		return &protocolServer{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}
	}
}

type protocolServer struct {
	tfprotov6.ProviderServer
	provider *hwcProvider

	directOnce sync.Once
	direct     map[string]directDataSource // by type name

	mu     sync.Mutex
	stop   context.Context // done when Terraform asks the provider to stop
	stopFn context.CancelFunc
}

var _ tfprotov6.ProviderServer = (*protocolServer)(nil)

// directDataSource is a data source whose reads the server answers.
type directDataSource struct {
	factory func() datasource.DataSource
	schema  schema.Schema
	typ     tftypes.Object
}

func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.directOnce.Do(func() { s.direct = s.directDataSources(ctx) })
	ds, ok := s.direct[req.TypeName]
	if !ok {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(s.stopContext(), cancel)()
	return ds.read(ctx, req, s.provider.dataSourceData()), nil
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
	return s.ProviderServer.StopProvider(ctx, req)
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
// readResult, and whose schemas have only single nested blocks.
func (s *protocolServer) directDataSources(ctx context.Context) map[string]directDataSource {
	direct := map[string]directDataSource{}
	for _, factory := range s.provider.DataSources(ctx) {
		d := factory()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "hwc"}, &meta)
		var sch datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sch)
		typ, isObject := sch.Schema.Type().TerraformType(ctx).(tftypes.Object)
		if _, ok := d.(stateReader); !ok || !isObject || sch.Diagnostics.HasError() || !onlySingleBlocks(sch.Schema.Blocks) {
			continue
		}
		direct[meta.TypeName] = directDataSource{factory: factory, schema: sch.Schema, typ: typ}
	}
	return direct
}

func onlySingleBlocks(blocks map[string]schema.Block) bool {
	for _, b := range blocks {
		single, ok := b.(schema.SingleNestedBlock)
		if !ok || !onlySingleBlocks(single.Blocks) {
			return false
		}
	}
	return true
}

// read configures a new instance of the data source, reads its state and
// encodes it. Like the framework, it returns the configuration as the state
// of a failed read.
func (ds directDataSource) read(ctx context.Context, req *tfprotov6.ReadDataSourceRequest, providerData any) *tfprotov6.ReadDataSourceResponse {
	resp := &tfprotov6.ReadDataSourceResponse{}
	var config tftypes.Value
	if req.Config != nil {
		var err error
		if config, err = req.Config.Unmarshal(ds.typ); err != nil {
			resp.Diagnostics = append(resp.Diagnostics, internalError("Unable to Read the Configuration", err))
			return resp
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
			diags.AddError("Unable to Build the State", err.Error()+". Please report this issue.")
		} else {
			resp.State = &state
		}
	}
	resp.Diagnostics = protocolDiagnostics(ctx, diags)
	return resp
}

func internalError(summary string, err error) *tfprotov6.Diagnostic {
	return &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: summary, Detail: err.Error() + ". Please report this issue."}
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
