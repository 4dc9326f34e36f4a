package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// marketImageFields is the one list of KooGallery image attributes; the API
// field has the attribute's name.
var marketImageFields = []imageField{
	{"image_id", "image_id", kindString, "Image ID."},
	{"name", "name", kindString, "Image name."},
	{"status", "status", kindString, "Image status."},
	{"created_at", "created_at", kindString, "Creation time (UTC), `yyyy-MM-ddTHH:mm:ssZ`."},
	{"updated_at", "updated_at", kindString, "Last update time (UTC), `yyyy-MM-ddTHH:mm:ssZ`."},
	{"product_code", "product_code", kindString, "Product ID of the KooGallery image."},
	{"market_resource_type_code", "market_resource_type_code", kindString, "KooGallery resource type code."},
	{"market_service_type_code", "market_service_type_code", kindString, "KooGallery service type code."},
	{"os_type", "os_type", kindString, "OS type: `Linux`, `Windows` or `Other`."},
	{"os_bit", "os_bit", kindString, "OS bits: `32` or `64`."},
	{"os_version", "os_version", kindString, "OS version."},
	{"platform", "platform", kindString, "Platform, such as `Ubuntu`."},
	{"image_type", "image_type", kindString, "Image type: `gold`, `private` or `shared`."},
	{"min_disk", "min_disk", kindNumber, "Minimum disk size (GB) to run the image."},
	{"min_ram", "min_ram", kindNumber, "Minimum memory (MB) to run the image."},
	{"max_ram", "max_ram", kindNumber, "Maximum memory (MB) of the image; null when the API leaves it empty."},
	{"image_size", "image_size", kindNumber, "Size of the image file in bytes."},
	{"tags", "tags", kindStringList, "Tags of the image."},
}

// missingIDsShown is how many missing ids an error names before counting the rest.
const missingIDsShown = 20

func newWorkspaceMarketImagesDataSource() datasource.DataSource {
	return &workspaceMarketImagesDataSource{}
}

type workspaceMarketImagesDataSource struct{ pd *providerData }

var _ datasource.DataSourceWithConfigure = (*workspaceMarketImagesDataSource)(nil)

func (d *workspaceMarketImagesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_market_images"
}

func (d *workspaceMarketImagesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.pd = configureData(req, resp)
}

func (d *workspaceMarketImagesDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	imageAttrs := make(map[string]schema.Attribute, len(marketImageFields))
	for _, f := range marketImageFields {
		imageAttrs[f.attr] = f.kind.computedAttribute(f.desc)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up KooGallery images of Workspace by ID (`GET /v2/{project_id}/market-images`). Any number " +
			"of IDs is sent in requests of at most 100 IDs each, several at once.",
		Attributes: map[string]schema.Attribute{
			"image_ids": schema.ListAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: "IDs of the KooGallery images; empty strings are rejected and duplicates dropped. " +
					"Sent as repeated `image_ids` query parameters, at most 100 a request. An empty list (a module variable " +
					"that defaults to `[]`, say) sends no request and reads empty `images` and `missing_ids`.",
				Validators: []validator.List{
					listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"region": regionAttribute(),
			"require_all": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "When `true`, an ID the API does not return is an error that names it. Defaults to `false`: such IDs are listed in `missing_ids`.",
			},
			"id": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Hash of `image_ids`, stable from one read to the next."},
			"missing_ids": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Requested IDs the API did not return, in the order of `image_ids`; empty when none is missing."},
			"images": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The images found, in the order of `image_ids`.",
				NestedObject:        schema.NestedAttributeObject{Attributes: imageAttrs}},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

// workspaceMarketImagesModel is the data source's configuration and state.
// This data source is written the framework's plain way — a model struct,
// State.Set — as the one to copy for a new data source. (The IMS data
// sources, which may list thousands of images, build their state from the
// field table and take the direct read path instead: see CONTRIBUTING.md,
// "Reading state".)
type workspaceMarketImagesModel struct {
	ImageIDs   []types.String `tfsdk:"image_ids"`
	RequireAll types.Bool     `tfsdk:"require_all"`
	Region     types.String   `tfsdk:"region"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
	ID         types.String   `tfsdk:"id"`
	MissingIDs []string       `tfsdk:"missing_ids"`
	// Images holds objects of marketImageType rather than a struct per
	// image: the framework reflects on every field of every struct it sets
	// (and compiles a regular expression for each: terraform-plugin-framework
	// issue 725), which made a read of 1,000 images 180 ms slower.
	Images types.List `tfsdk:"images"`
}

// marketImageType is the object type of one KooGallery image: the fields
// of marketImageFields.
var marketImageType = func() types.ObjectType {
	attrTypes := make(map[string]attr.Type, len(marketImageFields))
	for _, f := range marketImageFields {
		attrTypes[f.attr] = f.kind.attrType()
	}
	return types.ObjectType{AttrTypes: attrTypes}
}()

// newMarketImage reads a KooGallery image as the API sent it: an absent,
// empty or unreadable field is null.
func newMarketImage(r client.Record) types.Object {
	attrs := make(map[string]attr.Value, len(marketImageFields))
	for _, f := range marketImageFields {
		attrs[f.attr] = f.kind.attrValue(r.Value(f.api))
	}
	return types.ObjectValueMust(marketImageType.AttrTypes, attrs)
}

func (d *workspaceMarketImagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	// What the images may cost is scaled to the framework's way of building
	// a state (see client.ReadBudget).
	r, ok := beginRead(client.WithCostScale(ctx, frameworkCostScale), d.pd, req.Config, &resp.Diagnostics)
	defer r.end()
	if !ok {
		return
	}
	var m workspaceMarketImagesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ids := uniqueIDs(m.ImageIDs)
	var found map[string]client.Record
	requests := 0
	if len(ids) > 0 { // with no id there is nothing to ask
		var err error
		found, requests, err = r.region.MarketImages(r.ctx, ids)
		if err != nil {
			addRequestError(&resp.Diagnostics, "Unable to Get KooGallery Images", err)
			return
		}
	}
	tflog.Debug(r.ctx, "KooGallery images fetched", map[string]any{"ids": len(ids), "requests": requests, "found": len(found)})

	images := make([]attr.Value, 0, len(ids))
	m.MissingIDs = []string{}
	for _, id := range ids {
		if rec, ok := found[id]; ok {
			images = append(images, newMarketImage(rec))
		} else {
			m.MissingIDs = append(m.MissingIDs, id)
		}
	}
	m.Images = types.ListValueMust(marketImageType, images)
	if m.RequireAll.ValueBool() && len(m.MissingIDs) > 0 {
		addMissingIDs(&resp.Diagnostics, m.MissingIDs, len(ids))
		return
	}
	m.Region = types.StringValue(r.region.Name())
	m.ID = types.StringValue(configHash(map[string]tftypes.Value{"image_ids": stringList(ids)}))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// uniqueIDs drops repeated ids, keeping the first of each; validation has
// rejected unknown and empty ones.
func uniqueIDs(requested []types.String) []string {
	ids := make([]string, 0, len(requested))
	seen := make(map[string]bool, len(requested))
	for _, v := range requested {
		if id := v.ValueString(); !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// addMissingIDs is the require_all error: the first missing ids, and how
// many more.
func addMissingIDs(diags *diag.Diagnostics, missing []string, requested int) {
	shown := missing[:min(len(missing), missingIDsShown)]
	more := ""
	if rest := len(missing) - len(shown); rest > 0 {
		more = fmt.Sprintf(" and %d more", rest)
	}
	diags.AddAttributeError(path.Root("image_ids"), "KooGallery Images Not Found",
		fmt.Sprintf("%d of the %d requested images do not exist or are not visible to this project: %s%s. "+
			"Remove them from image_ids, or set require_all = false to list them in missing_ids instead.",
			len(missing), requested, strings.Join(shown, ", "), more))
}
