package directread

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework validates a configuration by looking each attribute up by
// its path: every step of every look-up rebuilds the schema's map of
// attributes, and every validator call formats the validator's description
// for a trace line. For a data source of some 40 arguments that costs more
// than a read of a page of images, and Terraform validates each data source
// twice a plan. The direct path validates a known configuration of a
// validatable schema itself, calling the same validators with the same
// requests and reporting the same diagnostics (TestValidationAsTheFramework
// compares both on thousands of configurations); anything else goes to the
// framework.

// validatable reports whether the direct path validates configurations of
// a schema: attributes that are each Required, Optional or Computed and not
// write-only; nested attributes only when computed alone (a configuration
// setting one goes to the framework); single nested blocks without
// validators or blocks inside. directSchema has already ruled out every type
// but String, Bool, Number and lists, sets and objects of them.
func validatable(s schema.Schema) bool {
	if s.DeprecationMessage != "" {
		return false
	}
	for _, a := range s.Attributes {
		if !validatableAttribute(a, true) {
			return false
		}
	}
	for _, b := range s.Blocks {
		single, ok := b.(schema.SingleNestedBlock)
		if !ok || len(single.Validators) > 0 || len(single.Blocks) > 0 {
			return false
		}
		for _, a := range single.Attributes {
			if !validatableAttribute(a, false) {
				return false
			}
		}
	}
	return true
}

func validatableAttribute(a schema.Attribute, nestedAllowed bool) bool {
	if !a.IsRequired() && !a.IsOptional() && !a.IsComputed() || a.IsWriteOnly() {
		return false
	}
	if _, nested := a.(schema.NestedAttribute); nested {
		return nestedAllowed && !a.IsRequired() && !a.IsOptional()
	}
	return true
}

// validate validates a configuration as the framework's
// ValidateDataResourceConfig would: Configure on a new instance of the data
// source, its config validators and ValidateConfig, then every attribute and
// block of the schema. It reports false for a configuration it leaves to the
// framework.
func (ds dataSource) validate(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest, providerData any) (*tfprotov6.ValidateDataResourceConfigResponse, bool) {
	if req.Config == nil {
		return nil, false
	}
	raw, err := req.Config.Unmarshal(ds.typ)
	if err != nil || !raw.IsKnown() || raw.IsNull() {
		return nil, false
	}
	var values map[string]tftypes.Value
	if err := raw.As(&values); err != nil {
		return nil, false
	}
	for name, a := range ds.schema.Attributes {
		if _, nested := a.(schema.NestedAttribute); nested && !values[name].IsNull() {
			return nil, false
		}
	}
	config := tfsdk.Config{Raw: raw, Schema: ds.schema}
	var diags diag.Diagnostics
	d := ds.factory()
	if c, ok := d.(datasource.DataSourceWithConfigure); ok {
		var resp datasource.ConfigureResponse
		c.Configure(ctx, datasource.ConfigureRequest{ProviderData: providerData}, &resp)
		if diags.Append(resp.Diagnostics...); diags.HasError() {
			return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: diagnostics(ctx, diags)}, true
		}
	}
	configReq := datasource.ValidateConfigRequest{Config: config}
	if v, ok := d.(datasource.DataSourceWithConfigValidators); ok {
		for _, cv := range v.ConfigValidators(ctx) {
			var resp datasource.ValidateConfigResponse
			cv.ValidateDataSource(ctx, configReq, &resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	if v, ok := d.(datasource.DataSourceWithValidateConfig); ok {
		var resp datasource.ValidateConfigResponse
		v.ValidateConfig(ctx, configReq, &resp)
		diags.Append(resp.Diagnostics...)
	}
	for name, a := range ds.schema.Attributes {
		if !validateAttribute(ctx, a, path.Root(name), path.MatchRoot(name), values[name], config, &diags) {
			return nil, false
		}
	}
	for name, b := range ds.schema.Blocks {
		if single, ok := b.(schema.SingleNestedBlock); !ok || !validateBlock(ctx, single, name, values[name], config, &diags) {
			return nil, false
		}
	}
	return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: diagnostics(ctx, diags)}, true
}

// validateAttribute validates the value v of attribute a at p as the
// framework's AttributeValidate does. A value the framework would fail to
// convert is left to it: false.
func validateAttribute(ctx context.Context, a schema.Attribute, p path.Path, pe path.Expression, v tftypes.Value, config tfsdk.Config, diags *diag.Diagnostics) bool {
	value, ok, valid := convert(ctx, a.GetType(), v, p, diags)
	if !ok || !valid {
		return ok
	}
	null, unknown := value.IsNull(), value.IsUnknown()
	if a.IsComputed() && !a.IsOptional() && !null {
		diags.AddAttributeError(p, "Invalid Configuration for Read-Only Attribute",
			"Cannot set value for this attribute as the provider has marked it as read-only. Remove the configuration line setting the value.\n\n"+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable and read-only attributes that are supported.")
	}
	if a.IsRequired() && null {
		diags.AddAttributeError(p, "Missing Configuration for Required Attribute",
			"Must set a configuration value for the "+p.String()+" attribute as the provider has marked it as required.\n\n"+
				"Refer to the provider documentation or contact the provider developers for additional information about configurable attributes that are required.")
	}
	if !runValidators(ctx, a, value, p, pe, config, diags) {
		return false
	}
	if msg := a.GetDeprecationMessage(); msg != "" && !null && !unknown {
		diags.AddAttributeWarning(p, "Attribute Deprecated", msg)
	}
	return true
}

// convert converts a value of the configuration to its attribute's type
// and validates it as the type asks, as the framework's look-up of a value
// by its path does. It reports false when the framework is to answer (a
// conversion error), and valid false after an error of the type's
// validation, which ends the attribute's validation.
func convert(ctx context.Context, typ attr.Type, v tftypes.Value, p path.Path, diags *diag.Diagnostics) (value attr.Value, ok, valid bool) {
	value, err := typ.ValueFromTerraform(ctx, v)
	if err != nil {
		return nil, false, false
	}
	var d diag.Diagnostics
	if va, isValidateable := value.(xattr.ValidateableAttribute); isValidateable {
		var resp xattr.ValidateAttributeResponse
		va.ValidateAttribute(ctx, xattr.ValidateAttributeRequest{Path: p}, &resp)
		d = resp.Diagnostics
	} else if tv, isValidating := typ.(xattr.TypeWithValidate); isValidating { //nolint:staticcheck // the framework still calls it
		d = tv.Validate(ctx, v, p)
	}
	diags.Append(d...)
	return value, true, !d.HasError()
}

// runValidators calls the validators of a with its value, converted as the
// framework converts it. An error converting it skips them, as in the
// framework; a value of an unexpected type is left to the framework: false.
func runValidators(ctx context.Context, a schema.Attribute, value attr.Value, p path.Path, pe path.Expression, config tfsdk.Config, diags *diag.Diagnostics) bool {
	switch a := a.(type) {
	case interface{ BoolValidators() []validator.Bool }:
		return check(ctx, value, diags, basetypes.BoolValuable.ToBoolValue, a.BoolValidators(), func(val validator.Bool, v basetypes.BoolValue) diag.Diagnostics {
			var resp validator.BoolResponse
			val.ValidateBool(ctx, validator.BoolRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	case interface{ ListValidators() []validator.List }:
		return check(ctx, value, diags, basetypes.ListValuable.ToListValue, a.ListValidators(), func(val validator.List, v basetypes.ListValue) diag.Diagnostics {
			var resp validator.ListResponse
			val.ValidateList(ctx, validator.ListRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	case interface{ NumberValidators() []validator.Number }:
		return check(ctx, value, diags, basetypes.NumberValuable.ToNumberValue, a.NumberValidators(), func(val validator.Number, v basetypes.NumberValue) diag.Diagnostics {
			var resp validator.NumberResponse
			val.ValidateNumber(ctx, validator.NumberRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	case interface{ ObjectValidators() []validator.Object }:
		return check(ctx, value, diags, basetypes.ObjectValuable.ToObjectValue, a.ObjectValidators(), func(val validator.Object, v basetypes.ObjectValue) diag.Diagnostics {
			var resp validator.ObjectResponse
			val.ValidateObject(ctx, validator.ObjectRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	case interface{ SetValidators() []validator.Set }:
		return check(ctx, value, diags, basetypes.SetValuable.ToSetValue, a.SetValidators(), func(val validator.Set, v basetypes.SetValue) diag.Diagnostics {
			var resp validator.SetResponse
			val.ValidateSet(ctx, validator.SetRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	case interface{ StringValidators() []validator.String }:
		return check(ctx, value, diags, basetypes.StringValuable.ToStringValue, a.StringValidators(), func(val validator.String, v basetypes.StringValue) diag.Diagnostics {
			var resp validator.StringResponse
			val.ValidateString(ctx, validator.StringRequest{Config: config, ConfigValue: v, Path: p, PathExpression: pe}, &resp)
			return resp.Diagnostics
		})
	}
	return false
}

// check converts value by to and calls each validator with it through
// call, as the framework does for each kind of value.
func check[Valuable, Value, Validator any](ctx context.Context, value attr.Value, diags *diag.Diagnostics,
	to func(Valuable, context.Context) (Value, diag.Diagnostics), validators []Validator, call func(Validator, Value) diag.Diagnostics,
) bool {
	valuable, ok := value.(Valuable)
	if !ok {
		return false
	}
	v, d := to(valuable, ctx)
	if diags.Append(d...); d.HasError() {
		return true
	}
	for _, val := range validators {
		diags.Append(call(val, v)...)
	}
	return true
}

// validateBlock validates a single nested block, without validators of its
// own, as the framework's BlockValidate does: each attribute with the
// value the block holds, null when the block is null or unknown.
func validateBlock(ctx context.Context, b schema.SingleNestedBlock, name string, v tftypes.Value, config tfsdk.Config, diags *diag.Diagnostics) bool {
	value, ok, valid := convert(ctx, b.Type(), v, path.Root(name), diags)
	if !ok || !valid {
		return ok
	}
	valuable, ok := value.(basetypes.ObjectValuable)
	if !ok {
		return false
	}
	_, d := valuable.ToObjectValue(ctx)
	if diags.Append(d...); d.HasError() {
		return true
	}
	var values map[string]tftypes.Value
	if v.IsKnown() {
		if err := v.As(&values); err != nil {
			return false
		}
	}
	p, pe := path.Root(name), path.MatchRoot(name)
	for n, a := range b.Attributes {
		if !validateAttribute(ctx, a, p.AtName(n), pe.AtName(n), values[n], config, diags) {
			return false
		}
	}
	if b.DeprecationMessage != "" && !value.IsNull() && !value.IsUnknown() {
		diags.AddAttributeWarning(p, "Block Deprecated", b.DeprecationMessage)
	}
	return true
}
