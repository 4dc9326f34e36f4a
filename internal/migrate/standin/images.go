package standin

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The arguments of both data sources, and those of the singular alone.
var (
	textArgs = []string{"region", "name", "name_regex", "visibility", "owner", "tag", "sort_key", "sort_direction",
		"architecture", "os", "os_version", "image_type", "flavor_id", "enterprise_project_id", "image_id"}
	singularArgs = []string{"most_recent", "size_min", "size_max"}
)

// images is huaweicloud_images_image, or with plural
// huaweicloud_images_images.
type images struct {
	plural bool
	cfg    *config
}

func (d *images) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_images_image"
	if d.plural {
		resp.TypeName += "s"
	}
}

func (d *images) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	d.cfg, _ = req.ProviderData.(*config)
}

// readType is the type an attribute read of an image has.
func readType(name string) attr.Type {
	switch name {
	case "min_ram_mb", "max_ram_mb", "min_disk_gb", "size_bytes":
		return types.Int64Type
	case "protected":
		return types.BoolType
	}
	return types.StringType
}

func (d *images) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{"id": schema.StringAttribute{Computed: true}}
	computed := !d.plural // the singular's arguments are also what it read
	for _, name := range textArgs {
		attrs[name] = schema.StringAttribute{Optional: true, Computed: computed && slices.Contains(SingularReads, name)}
	}
	attrs["is_whole_image"] = schema.BoolAttribute{Optional: true}
	if d.plural {
		elem := map[string]attr.Type{"id": types.StringType}
		for _, name := range ElementReads {
			elem[name] = readType(name)
		}
		attrs["images"] = schema.ListAttribute{Computed: true, ElementType: types.ObjectType{AttrTypes: elem}}
		resp.Schema = schema.Schema{Attributes: attrs}
		return
	}
	attrs["most_recent"] = schema.BoolAttribute{Optional: true}
	attrs["size_min"] = schema.Int64Attribute{Optional: true}
	attrs["size_max"] = schema.Int64Attribute{Optional: true}
	for _, name := range SingularReads {
		if attrs[name] == nil {
			attrs[name] = computedAttr(name)
		}
	}
	resp.Schema = schema.Schema{Attributes: attrs}
}

func computedAttr(name string) schema.Attribute {
	switch readType(name) {
	case types.Int64Type:
		return schema.Int64Attribute{Computed: true}
	case types.BoolType:
		return schema.BoolAttribute{Computed: true}
	}
	return schema.StringAttribute{Computed: true}
}

func (d *images) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	blk, err := block(req.Config.Raw, d.plural)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Configuration", err.Error())
		return
	}
	found, err := Select(d.cfg.base, blk, d.cfg.eps)
	if err != nil {
		resp.Diagnostics.AddError("Error Listing Images", err.Error())
		return
	}
	if d.plural {
		d.readPlural(ctx, found, resp)
		return
	}
	switch {
	case len(found) == 0:
		resp.Diagnostics.AddError("Your query returned no results", "Please change your search criteria and try again.")
		return
	case len(found) > 1:
		resp.Diagnostics.AddError("Your query returned more than one result",
			"Please try a more specific search criteria, or set `most_recent` attribute to true.")
		return
	}
	for _, name := range SingularReads {
		if _, set := blk.Args[name]; set {
			continue // the configuration's value stays
		}
		value := Read(found[0], name)
		if name == "checksum" {
			value = nil
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), attrValue(name, value))...)
	}
}

func (d *images) readPlural(ctx context.Context, found []map[string]any, resp *datasource.ReadResponse) {
	elemTypes := map[string]attr.Type{"id": types.StringType}
	for _, name := range ElementReads {
		elemTypes[name] = readType(name)
	}
	var elems []attr.Value
	for _, img := range found {
		values := map[string]attr.Value{"id": types.StringValue(TextOf(img, "id"))}
		for _, name := range ElementReads {
			values[name] = attrValue(name, Read(img, name))
		}
		obj, diags := types.ObjectValue(elemTypes, values)
		resp.Diagnostics.Append(diags...)
		elems = append(elems, obj)
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: elemTypes}, elems)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("images"), list)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), types.StringValue(fmt.Sprintf("%d images", len(found))))...)
}

// attrValue is a value Read gave as the attribute's type.
func attrValue(name string, v any) attr.Value {
	switch readType(name) {
	case types.Int64Type:
		if f, ok := v.(float64); ok {
			return types.Int64Value(int64(f))
		}
		return types.Int64Null()
	case types.BoolType:
		b, _ := v.(bool)
		return types.BoolValue(b)
	}
	if s, ok := v.(string); ok {
		return types.StringValue(s)
	}
	return types.StringNull()
}

// block reads the arguments a configuration sets.
func block(raw tftypes.Value, plural bool) (Block, error) {
	blk := Block{Plural: plural, Args: map[string]string{}}
	var values map[string]tftypes.Value
	if err := raw.As(&values); err != nil {
		return blk, err
	}
	for _, name := range append(append(slices.Clone(textArgs), "is_whole_image"), singularArgs...) {
		v, ok := values[name]
		if !ok || v.IsNull() || !v.IsKnown() {
			continue
		}
		var text string
		var b bool
		var n big.Float
		switch {
		case v.Type().Is(tftypes.String):
			_ = v.As(&text)
		case v.Type().Is(tftypes.Bool):
			_ = v.As(&b)
			text = fmt.Sprint(b)
		default:
			_ = v.As(&n)
			text = n.String()
		}
		blk.Args[name] = text
	}
	return blk, nil
}
