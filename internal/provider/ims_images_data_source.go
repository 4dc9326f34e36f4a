package provider

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const defaultReadTimeout = 10 * time.Minute

func newIMSImagesDataSource() datasource.DataSource { return &imsImagesDataSource{} }

type imsImagesDataSource struct{ pd *providerData }

func (d *imsImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ims_images"
}

func (d *imsImagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.pd = configureData(req, resp)
}

func (d *imsImagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, f := range imageFilters {
		attrs[f.attr] = f.schemaAttribute(false, "")
	}
	maps.Copy(attrs, refinementAttributes())
	imageAttrs := make(map[string]schema.Attribute, len(imageFields))
	for _, f := range imageFields {
		imageAttrs[f.attr] = f.kind.computedAttribute(f.desc)
	}
	attrs["id"] = schema.StringAttribute{Computed: true,
		MarkdownDescription: "Hash of the configured filters and refinements: the same configuration has the same `id` on every read."}
	attrs["ids"] = schema.ListAttribute{Computed: true, ElementType: types.StringType,
		MarkdownDescription: "IDs of `images`, in the same order."}
	attrs["images"] = schema.ListNestedAttribute{Computed: true,
		MarkdownDescription: "The images selected, in the order the API returned them, after the refinements.",
		NestedObject:        schema.NestedAttributeObject{Attributes: imageAttrs}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists IMS images (`GET /v1/cloudimages/fuzzy`) with every filter of the API, then refines the " +
			"list on the client (`name_regex`, `most_recent`, `limit`). An empty result is not an error; use `hwc_ims_image` " +
			"to require exactly one image.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *imsImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, sel, res, ctx, done := listIMS(ctx, d.pd, req.Config, 0, &resp.Diagnostics)
	defer done()
	if resp.Diagnostics.HasError() {
		return
	}
	ids := make([]string, len(res.images))
	for i, r := range res.images {
		ids[i], _ = r.String("id")
	}
	state := maps.Clone(cfg)
	state["id"] = tftypes.NewValue(tftypes.String, configHash(cfg, "timeouts"))
	state["query"] = tftypes.NewValue(tftypes.String, sel.queryText())
	state["ids"] = stringList(ids)
	state["images"] = newFlattener(imageFields).list(res.images)
	setState(ctx, &resp.State, state, &resp.Diagnostics)
}

// listIMS reads the configuration of an IMS data source, bounds the context
// by its timeouts block, and lists and refines the images (see
// selection.run for stopAfter). The returned function ends the read.
func listIMS(ctx context.Context, pd *providerData, config tfsdk.Config, stopAfter int, diags *diag.Diagnostics) (map[string]tftypes.Value, *selection, *result, context.Context, context.CancelFunc) {
	cfg, ctx, done := startRead(ctx, pd, config, diags)
	if diags.HasError() {
		return nil, nil, nil, ctx, done
	}
	sel, err := newSelection(cfg, time.Now())
	if err != nil {
		diags.AddError("Invalid IMS Image Filters", err.Error())
		return nil, nil, nil, ctx, done
	}
	tflog.Debug(ctx, "IMS image selection", map[string]any{"query": sel.queryText(), "client_stages": len(sel.stages)})
	res, err := sel.run(ctx, pd.client, stopAfter)
	if err != nil {
		addRequestError(diags, "Unable to List IMS Images", err)
		return nil, nil, nil, ctx, done
	}
	res.log(ctx)
	return cfg, sel, res, ctx, done
}

// startRead checks the provider is configured, reads the configuration as
// attribute values and bounds the context by the timeouts block. The returned
// function ends the read: it releases the context and logs, at DEBUG, when
// the read started and how long it took.
func startRead(ctx context.Context, pd *providerData, config tfsdk.Config, diags *diag.Diagnostics) (map[string]tftypes.Value, context.Context, context.CancelFunc) {
	if pd == nil {
		diags.AddError("Provider Not Configured", "The hwc provider was not configured before this data source was read. Please report this issue.")
		return nil, ctx, func() {}
	}
	ctx = pd.withSecretsMasked(ctx)
	started := time.Now()
	logDone := func() {
		tflog.Debug(ctx, "Read complete", map[string]any{
			"started_at":  started.UTC().Format(time.RFC3339Nano),
			"duration_ms": float64(time.Since(started).Microseconds()) / 1000,
		})
	}
	var t timeouts.Value
	diags.Append(config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	timeout, tDiags := t.Read(ctx, defaultReadTimeout)
	diags.Append(tDiags...)
	var cfg map[string]tftypes.Value
	if err := config.Raw.As(&cfg); err != nil {
		diags.AddError("Unable to Read the Configuration", err.Error())
	}
	if diags.HasError() {
		return nil, ctx, logDone
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return cfg, ctx, func() { cancel(); logDone() }
}

// setState writes attribute values as the whole state, typed by the schema.
func setState(ctx context.Context, state *tfsdk.State, vals map[string]tftypes.Value, diags *diag.Diagnostics) {
	typ, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Unexpected Schema Type", "The data source schema is not an object. Please report this issue.")
		return
	}
	if err := tftypes.ValidateValue(typ, vals); err != nil {
		diags.AddError("Unable to Build the State", fmt.Sprintf("%s. Please report this issue.", err))
		return
	}
	state.Raw = tftypes.NewValue(typ, vals)
}

// warnOpenMostRecent warns when most_recent selects among images that other
// accounts publish or share and no owner pins the publisher: any account that
// shares an image with the project could then become "the most recent".
func warnOpenMostRecent(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var mostRecent types.Bool
	var owner, visibility, imageType types.String
	diags.Append(config.GetAttribute(ctx, path.Root("most_recent"), &mostRecent)...)
	diags.Append(config.GetAttribute(ctx, path.Root("owner"), &owner)...)
	diags.Append(config.GetAttribute(ctx, path.Root("visibility"), &visibility)...)
	diags.Append(config.GetAttribute(ctx, path.Root("image_type"), &imageType)...)
	if diags.HasError() || !mostRecent.ValueBool() || !owner.IsNull() {
		return
	}
	if visibility.ValueString() == "shared" || imageType.ValueString() == "shared" || imageType.ValueString() == "market" {
		diags.AddAttributeWarning(path.Root("most_recent"), mostRecentWarningSummary, mostRecentWarningDetail)
	}
}

const (
	mostRecentWarningSummary = "Most Recent Image of Any Account"
	mostRecentWarningDetail  = "most_recent = true selects among images that other accounts publish or share with this project, " +
		"and owner is not set: any account that shares an image with the project can make its image the most recent one, " +
		"and have it selected. Set owner to the project ID of the publisher you trust."
)

func (d *imsImagesDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	warnOpenMostRecent(ctx, req.Config, &resp.Diagnostics)
}
