package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

func dataSourceType(t *testing.T, ds datasource.DataSource) tftypes.Object {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	if diags := resp.Schema.ValidateImplementation(context.Background()); diags.HasError() {
		t.Fatalf("schema implementation: %v", diags)
	}
	return resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
}

// The values Read builds from the tables have exactly the schema's types, so
// schema and flattening cannot drift apart.
func TestConformance_resultTypesMatchSchemas(t *testing.T) {
	t.Parallel()
	plural := dataSourceType(t, newIMSImagesDataSource())
	if !plural.AttributeTypes["images"].Equal(tftypes.List{ElementType: imageObjectType}) {
		t.Errorf("hwc_ims_images.images is %s, flattening builds %s", plural.AttributeTypes["images"], imageObjectType)
	}
	single := dataSourceType(t, newIMSImageDataSource())
	for _, f := range imageFields {
		want := f.kind.tfType()
		if f.attr == "tags" { // the tags filter: a set, which holds the image's tags when unset
			want = tftypes.Set{ElementType: tftypes.String}
		}
		if got := single.AttributeTypes[f.attr]; got == nil || !got.Equal(want) {
			t.Errorf("hwc_ims_image.%s is %v, flattening builds %s", f.attr, got, want)
		}
	}
	for _, f := range imageFilters {
		if !plural.AttributeTypes[f.attr].Equal(single.AttributeTypes[f.attr]) {
			t.Errorf("filter %s differs between the two IMS data sources", f.attr)
		}
	}
	market := dataSourceType(t, newWorkspaceMarketImagesDataSource())
	if !market.AttributeTypes["images"].Equal(tftypes.List{ElementType: marketImageObjectType}) {
		t.Errorf("hwc_workspace_market_images.images is %s", market.AttributeTypes["images"])
	}
}

// Each attribute name appears once per table; a filter and a refinement
// never share a name.
func TestConformance_tablesHaveUniqueNames(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, f := range imageFilters {
		if seen[f.attr] {
			t.Errorf("filter %s twice", f.attr)
		}
		seen[f.attr] = true
	}
	for name := range refinementAttributes() {
		if seen[name] {
			t.Errorf("refinement %s is also a filter", name)
		}
	}
	fields := map[string]bool{}
	for _, f := range imageFields {
		if fields[f.attr] {
			t.Errorf("image field %s twice", f.attr)
		}
		fields[f.attr] = true
	}
}

func TestConformance_providerModelFitsSchema(t *testing.T) {
	t.Parallel()
	var resp provider.SchemaResponse
	(&hwcProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	state := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(context.Background()), nil)}
	if diags := state.Set(context.Background(), &providerModel{Endpoints: types.MapNull(types.StringType)}); diags.HasError() {
		t.Fatalf("providerModel does not fit the provider schema: %v", diags)
	}
}

func TestConformance_marketImagesModelFitsSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var resp datasource.SchemaResponse
	newWorkspaceMarketImagesDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
	state := tfsdk.State{Schema: resp.Schema, Raw: tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)}
	// One image of every field: State.Set fails when the model and the
	// field table the schema is built from differ by an attribute.
	m := workspaceMarketImagesModel{Images: types.ListValueMust(marketImageType, []attr.Value{newMarketImage(client.Record{})})}
	m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"read": types.StringType})
	if diags := state.Set(ctx, &m); diags.HasError() {
		t.Fatalf("workspaceMarketImagesModel does not fit the schema: %v", diags)
	}
}

// The Terraform object types of one IMS image and one KooGallery image, as
// the field tables build them.
var (
	imageObjectType       = newFlattener(imageFields).objType
	marketImageObjectType = newFlattener(marketImageFields).objType
)
