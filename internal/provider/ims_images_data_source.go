package provider

import (
	"context"
	"fmt"
	"maps"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

func newIMSImagesDataSource() datasource.DataSource { return &imsImagesDataSource{} }

// newIMSImageIDsDataSource is hwc_ims_image_ids: hwc_ims_images without
// images, for configurations that read ids alone (make bench: Terraform
// plans 50 such lookups in under a quarter of the time full objects take).
func newIMSImageIDsDataSource() datasource.DataSource { return &imsImagesDataSource{idsOnly: true} }

type imsImagesDataSource struct {
	pd      *providerData
	idsOnly bool // hwc_ims_image_ids
}

var _ directread.Reader = (*imsImagesDataSource)(nil)

func (d *imsImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ims_images"
	if d.idsOnly {
		resp.TypeName = req.ProviderTypeName + "_ims_image_ids"
	}
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
	attrs["region"] = regionAttribute()
	imageAttrs := make(map[string]schema.Attribute, len(imageFields))
	for _, f := range imageFields {
		imageAttrs[f.attr] = f.kind.computedAttribute(f.desc)
	}
	attrs["id"] = schema.StringAttribute{Computed: true,
		MarkdownDescription: "Hash of the configured filters and refinements: the same configuration has the same `id` on every read."}
	attrs["ids"] = schema.ListAttribute{Computed: true, ElementType: types.StringType,
		MarkdownDescription: "IDs of `images`, in the same order."}
	attrs["images"] = schema.ListNestedAttribute{Computed: true,
		MarkdownDescription: "The images selected, after the refinements: in the order the API returned them, or in the " +
			"order `order_by` sets.",
		NestedObject: schema.NestedAttributeObject{Attributes: imageAttrs}}
	description := "Lists IMS images (`GET /v1/cloudimages/fuzzy`) with every filter of the API, then refines the " +
		"list on the client (`name_regex`, `most_recent`, `limit`). An empty result is not an error; use `hwc_ims_image` " +
		"to require exactly one image."
	if d.idsOnly {
		delete(attrs, "images")
		attrs["ids"] = schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "IDs of the images selected, after the refinements: in the order `hwc_ims_images` returns its `images`."}
		description = "Selects IMS images as `hwc_ims_images` does — the same arguments, requests, warnings and order — and returns " +
			"their IDs alone. Terraform carries every attribute of every image of `hwc_ims_images` through the plan; a " +
			"configuration that reads only IDs plans many lookups several times faster with this one."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: description,
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *imsImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req.Config, &resp.State, &resp.Diagnostics)
}

func (d *imsImagesDataSource) ReadState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (directread.State, bool) {
	r, ok := beginRead(ctx, d.pd, config, diags)
	defer r.end()
	if !ok {
		return directread.State{}, false
	}
	sel, res, ok := listIMS(r, 0, diags)
	if !ok {
		return directread.State{}, false
	}
	ids := make([]string, len(res.Images))
	for i, img := range res.Images {
		ids[i], _ = img.String("id")
	}
	state := r.state()
	state["id"] = tftypes.NewValue(tftypes.String, configHash(r.cfg, "timeouts"))
	state["query"] = tftypes.NewValue(tftypes.String, sel.QueryText())
	state["ids"] = stringList(ids)
	if d.idsOnly {
		return directread.State{Attrs: state}, true
	}
	return directread.State{Attrs: state, Lists: map[string]directread.List{"images": recordList{imageFields, res.Images}}}, true
}

// listIMS lists and refines the images a read's configuration selects (see
// selection.Selection.Run for stopAfter). It reports false, with diagnostics, on
// failure.
func listIMS(r *dataRead, stopAfter int, diags *diag.Diagnostics) (*selection.Selection, *selection.Result, bool) {
	params, err := imageParams(r.cfg, r.now(), r.eps)
	if err != nil {
		diags.AddError("Invalid IMS Image Filters", err.Error())
		return nil, nil, false
	}
	diags.Append(selectionWarnings(params)...)
	sel := selection.New(params)
	tflog.Debug(r.ctx, "IMS image selection", map[string]any{"region": r.region.Name(), "query": sel.QueryText(), "client_stages": len(sel.Stages())})
	res, err := sel.Run(r.ctx, r.region, stopAfter, client.ReadBudget(r.ctx))
	if err != nil {
		addRequestError(diags, "Unable to List IMS Images", err)
		return nil, nil, false
	}
	tflog.Debug(r.ctx, "IMS listing done", map[string]any{
		"requests": res.Requests, "returned": res.Returned, "kept": len(res.Images), "stopped_early": res.Partial,
	})
	if res.PageCap != 0 {
		diags.AddWarning("IMS Answered Smaller Pages Than Asked For",
			fmt.Sprintf("IMS answered %d images a page where %d were asked for, and had more after a page of %d: something between "+
				"this machine and IMS (an API gateway or a proxy) caps pages. The listing went on %d at a time, so what was selected "+
				"is complete, but it took more requests than it needs. If your endpoints point at a gateway of your own, let it pass "+
				"limit=%d.", res.PageCap, res.PageAsked, res.PageCap, res.PageCap, res.PageAsked))
	}
	if res.OfficialPick != "" {
		id, _ := res.Images[0].String("id")
		diags.AddWarning("Not the Image the Official Provider Would Pick",
			r.region.Clean(fmt.Sprintf("Several images were last updated in the same second. order_by = \"updated_at\" with most_recent "+
				"keeps %s, the one with the larger id; the official provider's most_recent (Go's sort.Sort over the API's order) "+
				"would keep %s. To keep the one the official provider keeps, set tie_break = \"official\"; to take the highest "+
				"release instead, use order_by = \"version\".",
				id, res.OfficialPick)))
	}
	if res.DatedOver != "" {
		addDatedBuildWarning(diags, r, res)
	}
	return sel, res, true
}

// addDatedBuildWarning warns that order_by = "version" put a dated build
// ("… 64bit (20250127)") first by its date's digits, and shows name_regex
// with the version captured, which compares the version alone.
func addDatedBuildWarning(diags *diag.Diagnostics, r *dataRead, res *selection.Result) {
	name, _ := res.Images[0].String("name")
	diags.AddWarning("A Dated Build Ranks First by Its Date",
		r.region.Clean(fmt.Sprintf("order_by = \"version\" compares whole names, so %q comes before %q: the digits of its date "+
			"suffix count as more version digits, although both are the same version and the dated build may be the older one. "+
			"To compare the version alone, capture it in name_regex, such as name_regex = %s: images of equal versions are "+
			"then ordered by created_at, newest first.", name, res.DatedOver, strconv.Quote(selection.CaptureHint(res.DatedOver)))))
}
