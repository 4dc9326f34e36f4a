package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

func newIMSImageDataSource() datasource.DataSource { return &imsImageDataSource{} }

type imsImageDataSource struct{ pd *providerData }

var _ directread.Reader = (*imsImageDataSource)(nil)

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
	attrs["region"] = regionAttribute()
	attrs["tags"] = tagsAttribute(true, " When unset, it holds the selected image's tags.")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Selects exactly one IMS image with the filters and refinements of `hwc_ims_images`, and exposes its " +
			"attributes. It fails when no image matches, and when several do unless `most_recent = true`.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *imsImageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readInto(ctx, d, req.Config, &resp.State, &resp.Diagnostics)
}

func (d *imsImageDataSource) ReadState(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) (directread.State, bool) {
	r, ok := beginRead(ctx, d.pd, config, diags)
	defer r.end()
	if !ok {
		return directread.State{}, false
	}
	sel, res, ok := listIMS(r, 2, diags)
	if !ok {
		return directread.State{}, false
	}
	cfg := r.cfg
	switch {
	case len(res.Images) == 0:
		diags.AddError("No IMS Image Matches", explainMiss(r.ctx, r.region, sel, res, sel.Now))
		return directread.State{}, false
	case len(res.Images) > 1:
		addSeveralMatches(diags, sel, res, r.region.Clean)
		return directread.State{}, false
	}
	state := r.state()
	state["query"] = tftypes.NewValue(tftypes.String, sel.QueryText())
	for attr, v := range newFlattener(imageFields).attributes(res.Images[0]) {
		if cv, ok := cfg[attr]; !ok || cv.IsNull() {
			state[attr] = v
		}
	}
	if cfg["tags"].IsNull() {
		state["tags"] = stringSet(res.Images[0].Strings("tags"))
	}
	return directread.State{Attrs: state}, true
}

// explainMiss says what was asked, what the API returned and what each
// refinement removed. When the API returned nothing and the query carried a
// name filter or the min_age bound, one more request — one page of the same
// query without them — tells how many images the soak window held back and
// which existing names are nearest to the name asked for.
func explainMiss(ctx context.Context, c *client.Region, sel *selection.Selection, res *selection.Result, now time.Time) string {
	var b strings.Builder
	q := sel.QueryText()
	if q == "" {
		q = "(no filter)"
	}
	fmt.Fprintf(&b, "No image matches this data source.\n\nQuery sent to IMS: %s\nImages the API returned: %d\n", q, res.Returned)
	for i, st := range sel.Stages() {
		fmt.Fprintf(&b, "Removed by %s: %d", st.Name, res.Removed[i])
		if st.MinAge && res.Removed[i] > 0 {
			fmt.Fprintf(&b, " (the newest was created %s ago; min_age = %s)", roundAge(now.Sub(res.NewestHeldBack)), sel.MinAgeText)
		}
		if st.CaseFold != nil && res.CaseFoldKept > 0 {
			fmt.Fprintf(&b, " (name_regex is case-sensitive: without regard to letter case, %q would have kept %d of them)", st.CaseFold.String(), res.CaseFoldKept)
		}
		b.WriteString("\n")
	}
	if res.Returned > 0 {
		b.WriteString("\nThe API returned images, but the refinements above removed all of them.")
		return b.String()
	}
	relaxed := sel.RelaxedQuery()
	if relaxed == nil {
		b.WriteString("\nThe API itself returned no image: loosen the filters.")
		return b.String()
	}
	var page []client.Record
	if _, err := c.ListImages(ctx, relaxed, client.IMSPageSize, func(p []client.Record) bool { page = p; return false }); err != nil {
		fmt.Fprintf(&b, "\nThe API itself returned no image. (Looking for near misses failed: %s.)", err)
		return b.String()
	}
	b.WriteString("\n")
	if sel.MinAgePushed {
		held, newest := 0, time.Time{}
		for _, r := range page {
			name, _ := r.String("name")
			if at := selection.ImageTime(r); !at.Before(sel.Cutoff) && (sel.Name == "" || name == sel.Name) {
				held++
				if at.After(newest) {
					newest = at
				}
			}
		}
		if held > 0 {
			fmt.Fprintf(&b, "The soak window (min_age = %s) held back %d image(s) created after %s; the newest was created %s ago.\n",
				sel.MinAgeText, held, sel.Cutoff.Format(time.RFC3339), roundAge(now.Sub(newest)))
		} else {
			fmt.Fprintf(&b, "The soak window (min_age = %s) held back no image.\n", sel.MinAgeText)
		}
	}
	if sel.Name != "" && !slices.ContainsFunc(page, func(r client.Record) bool { n, _ := r.String("name"); return n == sel.Name }) {
		writeNearest(&b, sel.Name, nearestNames(sel.Name, page, 3, c.Clean))
	}
	return strings.TrimRight(b.String(), "\n")
}

// writeNearest says that no image has the name asked for, which names are
// nearest, and how to select the highest version of its family instead.
func writeNearest(b *strings.Builder, name string, near []string) {
	if len(near) == 0 {
		fmt.Fprintf(b, "No image is named %q, and without the name filter the query matches no image either.\n", name)
		return
	}
	fmt.Fprintf(b, "No image is named %q. The nearest names: %s.\n", name, strings.Join(near, ", "))
	if hint := selection.CaptureHint(name); hint != "" {
		fmt.Fprintf(b, "To take the highest version of a family instead of one name, drop name and set name_regex = %s "+
			"with order_by = \"version\" and most_recent = true: the group captures the version, which is what is compared.\n",
			strconv.Quote(hint))
	}
}

// roundAge renders an age to the minute, or the second below a minute.
func roundAge(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}

// nearestNames returns up to n distinct names of page, nearest to name (see
// nameDistance), each cleaned by show (server text) and quoted.
func nearestNames(name string, page []client.Record, n int, show func(string) string) []string {
	type scored struct {
		name  string
		score float64
		gap   float64
	}
	seen := map[string]bool{}
	var all []scored
	for _, r := range page {
		other, ok := r.String("name")
		if !ok || seen[other] {
			continue
		}
		seen[other] = true
		all = append(all, scored{other, nameDistance(name, other), selection.VersionGap(name, other)})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.gap, b.gap); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, s := range all[:min(n, len(all))] {
		out = append(out, strconv.Quote(show(s.name)))
	}
	return out
}

// nameDistance ranks how far a name is from the one asked for, without
// regard to letter case: the edit distance over the longer length (so a
// short name is not near merely for being short), less half the share of
// the asked name that the two begin with (so names of the same family, such
// as webapp-2.…, rank before others).
func nameDistance(want, other string) float64 {
	a, b := []rune(strings.ToLower(want)), []rune(strings.ToLower(other))
	dist, prefix, _ := levenshtein.Calculate(a, b, 0, 1, 1, 1)
	longer := max(len(a), len(b), 1)
	return float64(dist)/float64(longer) - 0.5*float64(prefix)/float64(max(len(a), 1))
}

// addSeveralMatches reports a singular that matches several images,
// quoting two of them; show cleans their names and ids (server text).
func addSeveralMatches(diags *diag.Diagnostics, sel *selection.Selection, res *selection.Result, show func(string) string) {
	names := make([]string, 0, 2)
	for _, r := range res.Images[:min(len(res.Images), 2)] {
		id, _ := r.String("id")
		name, _ := r.String("name")
		names = append(names, fmt.Sprintf("%q (%s)", show(name), show(id)))
	}
	count := fmt.Sprintf("%d images match", len(res.Images))
	if res.Partial {
		count = "More than one image matches"
	}
	diags.AddError("Several IMS Images Match",
		fmt.Sprintf("%s the query %s, among them %s. hwc_ims_image selects exactly one: set most_recent = true to take the newest, "+
			"or narrow the filters (name, name_regex, owner, …). Use hwc_ims_images to list them all.",
			count, sel.QueryText(), strings.Join(names, " and ")))
}
