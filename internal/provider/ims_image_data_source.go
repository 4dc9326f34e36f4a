package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func newIMSImageDataSource() datasource.DataSource { return &imsImageDataSource{} }

type imsImageDataSource struct{ pd *providerData }

func (d *imsImageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ims_image"
}

func (d *imsImageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.pd = configureData(req, resp)
}

// filterByAttr finds the filter that shares its name with an image attribute.
func filterByAttr(name string) (imageFilter, bool) {
	for _, f := range imageFilters {
		if f.attr == name {
			return f, true
		}
	}
	return imageFilter{}, false
}

func (d *imsImageDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, f := range imageFilters {
		attrs[f.attr] = f.schemaAttribute(false, "")
	}
	for _, f := range imageFields {
		if filter, ok := filterByAttr(f.attr); ok {
			attrs[f.attr] = filter.schemaAttribute(true, " When unset, it holds the selected image's value: "+f.desc)
			continue
		}
		attrs[f.attr] = f.kind.computedAttribute(f.desc)
	}
	maps.Copy(attrs, refinementAttributes())
	resp.Schema = schema.Schema{
		MarkdownDescription: "Selects exactly one IMS image with the filters and refinements of `hwc_ims_images`, and exposes its " +
			"attributes. It fails when no image matches, and when several do unless `most_recent = true`.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *imsImageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, sel, ctx, cancel := startIMSRead(ctx, d.pd, req.Config, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	res, err := sel.run(ctx, d.pd.client, 2)
	if err != nil {
		addRequestError(&resp.Diagnostics, "Unable to List IMS Images", err)
		return
	}
	res.log(ctx)
	switch {
	case len(res.images) == 0:
		resp.Diagnostics.AddError("No IMS Image Matches", explainMiss(sel, res))
		return
	case len(res.images) > 1:
		addSeveralMatches(&resp.Diagnostics, sel, res)
		return
	}
	state := maps.Clone(cfg)
	for attr, v := range newFlattener(imageFields).attributes(res.images[0]) {
		if cv, ok := cfg[attr]; !ok || cv.IsNull() {
			state[attr] = v
		}
	}
	setState(ctx, &resp.State, state, &resp.Diagnostics)
}

// explainMiss says what was asked, what the API returned and what each
// refinement removed.
func explainMiss(sel *selection, res *result) string {
	var b strings.Builder
	q := sel.queryText()
	if q == "" {
		q = "(no filter)"
	}
	fmt.Fprintf(&b, "No image matches this data source.\n\nQuery sent to IMS: %s\nImages the API returned: %d\n", q, res.returned)
	for i, st := range sel.stages {
		fmt.Fprintf(&b, "Removed by %s: %d\n", st.name, res.removed[i])
	}
	if res.returned == 0 {
		b.WriteString("\nThe API itself returned no image: loosen the filters (an exact name must match to the letter; name_regex matches patterns).")
	} else {
		b.WriteString("\nThe API returned images, but the refinements above removed all of them.")
	}
	return b.String()
}

func addSeveralMatches(diags *diag.Diagnostics, sel *selection, res *result) {
	names := make([]string, 0, 2)
	for _, r := range res.images[:min(len(res.images), 2)] {
		id, _ := r.String("id")
		name, _ := r.String("name")
		names = append(names, fmt.Sprintf("%q (%s)", name, id))
	}
	count := fmt.Sprintf("%d images match", len(res.images))
	if res.partial {
		count = "More than one image matches"
	}
	diags.AddError("Several IMS Images Match",
		fmt.Sprintf("%s the query %s, among them %s. hwc_ims_image selects exactly one: set most_recent = true to take the newest, "+
			"or narrow the filters (name, name_regex, owner, …). Use hwc_ims_images to list them all.",
			count, sel.queryText(), strings.Join(names, " and ")))
}
