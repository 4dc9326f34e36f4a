package directread

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// checked is a Reader whose schema has an attribute of every kind the
// direct path validates — required, optional, optional and computed,
// computed, deprecated, nested and computed — and two single nested
// blocks, one of them the timeouts block. Every validator reports what it
// was given: the value, the path, the path expression and a look-up of
// another attribute through the configuration, so that any difference in
// the requests shows as a difference in the diagnostics.
type checked struct{ data any }

func (*checked) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_checked"
}

func (*checked) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	reporter := report{}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"s": schema.StringAttribute{Optional: true, DeprecationMessage: "s is old", Validators: []validator.String{reporter}},
			"r": schema.StringAttribute{Required: true, Validators: []validator.String{reporter, reporter}},
			"b": schema.BoolAttribute{Optional: true, Computed: true, Validators: []validator.Bool{reporter}},
			"n": schema.NumberAttribute{Optional: true, Validators: []validator.Number{reporter}},
			"l": schema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: []validator.List{reporter}},
			"t": schema.SetAttribute{Optional: true, ElementType: types.StringType, Validators: []validator.Set{reporter}},
			"o": schema.ObjectAttribute{Optional: true, AttributeTypes: map[string]attr.Type{"a": types.StringType},
				Validators: []validator.Object{reporter}},
			"c": schema.StringAttribute{Computed: true, Validators: []validator.String{reporter}},
			"nested": schema.ListNestedAttribute{Computed: true, Validators: []validator.List{reporter},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"x": schema.StringAttribute{Computed: true, Validators: []validator.String{reporter}}}}},
			"single": schema.SingleNestedAttribute{Computed: true, Validators: []validator.Object{reporter},
				Attributes: map[string]schema.Attribute{"x": schema.StringAttribute{Computed: true}}},
		},
		Blocks: map[string]schema.Block{
			"blk": schema.SingleNestedBlock{DeprecationMessage: "blk is old", Attributes: map[string]schema.Attribute{
				"v": schema.StringAttribute{Optional: true, DeprecationMessage: "v is old", Validators: []validator.String{reporter}},
				"w": schema.StringAttribute{Computed: true, Validators: []validator.String{reporter}},
			}},
			"timeouts": timeouts.Block(ctx),
		},
	}
}

func (c *checked) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	c.data = req.ProviderData
	if c.data == "fail" {
		resp.Diagnostics.AddError("Not Configured", "")
		return
	}
	resp.Diagnostics.AddWarning("Configured", fmt.Sprint(req.ProviderData))
}

func (c *checked) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{report{}, report{}}
}

func (c *checked) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var r types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("r"), &r)...)
	resp.Diagnostics.AddWarning("ValidateConfig", fmt.Sprintf("r=%s data=%v", r, c.data))
}

func (*checked) Read(_ context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.Diagnostics.AddError("Not Read", "")
}

func (*checked) ReadState(_ context.Context, _ tfsdk.Config, diags *diag.Diagnostics) (State, bool) {
	diags.AddError("Not Read", "")
	return State{}, false
}

// report is a validator of every kind that reports its request: an error
// for the value "bad" anywhere in it, a warning otherwise.
type report struct{}

func (report) Description(context.Context) string         { return "reports" }
func (report) MarkdownDescription(context.Context) string { return "reports" }

func (report) add(ctx context.Context, diags *diag.Diagnostics, config tfsdk.Config, p path.Path, pe path.Expression, v attr.Value) {
	var r types.String
	diags.Append(config.GetAttribute(ctx, path.Root("r"), &r)...)
	detail := fmt.Sprintf("%s %s %T %s r=%s", p, pe, v, v, r)
	if v.String() == `"bad"` || fmt.Sprint(v) == `["bad"]` || fmt.Sprint(v) == `{"a":"bad"}` {
		diags.AddAttributeError(p, "Bad", detail)
		return
	}
	diags.AddAttributeWarning(p, "Validated", detail)
}

func (v report) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	v.add(ctx, &resp.Diagnostics, req.Config, req.Path, req.PathExpression, req.ConfigValue)
}
func (v report) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var s types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("s"), &s)...)
	if s.ValueString() == "bad" {
		resp.Diagnostics.AddAttributeError(path.Root("s"), "Bad Configuration", "")
	}
}

// directDataSource is the server's data source of that type name.
func directDataSource(direct tfprotov6.ProviderServer, typeName string) dataSource {
	s := direct.(*server)
	s.directOnce.Do(func() { s.direct = directDataSources(context.Background(), s.provider) })
	return s.direct[typeName]
}

// randomConfig is a configuration of typ with each attribute, each
// element and each block null, unknown or one of a few values, "bad"
// among them.
func randomConfig(rnd *rand.Rand, typ tftypes.Type) tftypes.Value {
	switch rnd.IntN(8) {
	case 0:
		return tftypes.NewValue(typ, nil)
	case 1:
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		vals := map[string]tftypes.Value{}
		for name, t := range typ.AttributeTypes {
			vals[name] = randomConfig(rnd, t)
		}
		return tftypes.NewValue(typ, vals)
	}
	switch {
	case typ.Is(tftypes.String):
		return tftypes.NewValue(typ, []string{"", "x", "y", "ü", "0", "bad", "z", "x y"}[rnd.IntN(8)])
	case typ.Is(tftypes.Bool):
		return tftypes.NewValue(typ, rnd.IntN(2) == 0)
	case typ.Is(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat([]float64{0, -1, 2.5, 1e300}[rnd.IntN(4)]))
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
		var elem tftypes.Type
		if l, ok := typ.(tftypes.List); ok {
			elem = l.ElementType
		} else {
			elem = typ.(tftypes.Set).ElementType
		}
		var vals []tftypes.Value
		for i := range rnd.IntN(3) {
			v := randomConfig(rnd, elem)
			if typ.Is(tftypes.Set{}) && v.IsKnown() && !v.IsNull() {
				v = tftypes.NewValue(elem, []string{"bad", "x"}[i]) // set elements differ
			}
			vals = append(vals, v)
		}
		return tftypes.NewValue(typ, vals)
	}
	panic("no value for " + typ.String())
}

// sortedDiagnostics orders diagnostics, which the framework reports in the
// order of a map's iteration.
func sortedDiagnostics(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	key := func(d *tfprotov6.Diagnostic) string {
		return fmt.Sprintf("%d\x00%s\x00%s\x00%s", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return slices.SortedFunc(slices.Values(diags), func(a, b *tfprotov6.Diagnostic) int { return cmp.Compare(key(a), key(b)) })
}

// The direct path validates every configuration as the framework does:
// the same diagnostics, from the same validators given the same requests,
// over thousands of configurations with every attribute, element and block
// null, unknown, valid or not. It answers each itself, but for those that
// set a computed nested attribute, which go to the framework.
func TestValidationAsTheFramework(t *testing.T) {
	ctx := context.Background()
	direct, framework := testServers(t, Hooks{})
	ds := directDataSource(direct, "t_checked")
	if !ds.validates {
		t.Fatal("t_checked is not validated by the direct path")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var answered, clean int
	for i := range 3000 {
		raw := randomConfig(rnd, ds.typ)
		var vals map[string]tftypes.Value
		if !raw.IsKnown() || raw.IsNull() || raw.As(&vals) != nil {
			continue // null or unknown: Terraform sends neither
		}
		if rnd.IntN(10) > 0 { // mostly as Terraform sends them: computed attributes null
			for _, name := range []string{"nested", "single", "c"} {
				vals[name] = tftypes.NewValue(vals[name].Type(), nil)
			}
			raw = tftypes.NewValue(ds.typ, vals)
		}
		cfg, err := tfprotov6.NewDynamicValue(ds.typ, raw)
		if err != nil {
			t.Fatal(err)
		}
		req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "t_checked", Config: &cfg}
		want, err := framework.ValidateDataResourceConfig(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := direct.ValidateDataResourceConfig(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(sortedDiagnostics(want.Diagnostics), sortedDiagnostics(got.Diagnostics)); diff != "" {
			t.Fatalf("configuration %d, %s: diagnostics differ (-framework +direct):\n%s", i, raw, diff)
		}
		_, ok := ds.validate(ctx, req, "configured")
		if setsNested := !vals["nested"].IsNull() || !vals["single"].IsNull(); ok == setsNested {
			t.Fatalf("configuration %d, %s: the direct path answered it: %v", i, raw, ok)
		}
		if ok {
			answered++
			if !slices.ContainsFunc(got.Diagnostics, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError }) {
				clean++
			}
		}
	}
	t.Logf("%d configurations answered by the direct path, %d of them without errors", answered, clean)
	if answered < 1500 || clean < 50 || clean > answered-500 {
		t.Errorf("%d configurations answered, %d without errors: the configurations test too little", answered, clean)
	}
}

// A failed Configure ends the validation with its diagnostics, as in the
// framework: no validator runs.
func TestValidationStopsAtAFailedConfigure(t *testing.T) {
	ctx := context.Background()
	direct, _ := testServers(t, Hooks{})
	ds := directDataSource(direct, "t_checked")
	raw := tftypes.NewValue(ds.typ, nil)
	rnd := rand.New(rand.NewPCG(3, 4))
	var vals map[string]tftypes.Value
	for !raw.IsKnown() || raw.IsNull() || raw.As(&vals) != nil {
		raw = randomConfig(rnd, ds.typ)
	}
	for _, name := range []string{"nested", "single"} {
		vals[name] = tftypes.NewValue(vals[name].Type(), nil)
	}
	raw = tftypes.NewValue(ds.typ, vals)
	cfg, err := tfprotov6.NewDynamicValue(ds.typ, raw)
	if err != nil {
		t.Fatal(err)
	}
	resp, ok := ds.validate(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "t_checked", Config: &cfg}, "fail")
	want := []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Not Configured"}}
	if !ok || !gocmp.Equal(resp.Diagnostics, want) {
		t.Errorf("answered %v with %+v, want %+v", ok, resp, want)
	}
}

// Schemas the direct path does not validate as the framework would go to
// the framework whole.
func TestValidatableSchemas(t *testing.T) {
	str := schema.StringAttribute{Optional: true}
	for name, c := range map[string]struct {
		s    schema.Schema
		want bool
	}{
		"plain":                             {schema.Schema{Attributes: map[string]schema.Attribute{"s": str}}, true},
		"deprecated data source":            {schema.Schema{DeprecationMessage: "old", Attributes: map[string]schema.Attribute{"s": str}}, false},
		"no Required, Optional or Computed": {schema.Schema{Attributes: map[string]schema.Attribute{"s": schema.StringAttribute{}}}, false},
		"optional nested attribute": {schema.Schema{Attributes: map[string]schema.Attribute{"n": schema.SingleNestedAttribute{
			Optional: true, Attributes: map[string]schema.Attribute{"s": str}}}}, false},
		"block with validators": {schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{
			Validators: []validator.Object{report{}}, Attributes: map[string]schema.Attribute{"s": str}}}}, false},
		"block in a block": {schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{
			Blocks: map[string]schema.Block{"c": schema.SingleNestedBlock{}}}}}, false},
		"nested attribute in a block": {schema.Schema{Blocks: map[string]schema.Block{"b": schema.SingleNestedBlock{
			Attributes: map[string]schema.Attribute{"n": schema.SingleNestedAttribute{Computed: true}}}}}, false},
		"list block": {schema.Schema{Blocks: map[string]schema.Block{"b": schema.ListNestedBlock{}}}, false},
	} {
		if got := validatable(c.s); got != c.want {
			t.Errorf("%s: validatable = %v, want %v", name, got, c.want)
		}
	}
}
