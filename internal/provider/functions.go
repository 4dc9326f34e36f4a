package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

// The provider's functions (Terraform 1.8+, OpenTofu 1.7+) order names as
// order_by = "version" does, with one implementation,
// selection.CompareVersions. They need no configuration and no credentials.

func (p *hwcProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		func() function.Function { return compareVersionsFunction{} },
		func() function.Function { return sortVersionsFunction{} },
	}
}

// versionOrder is the rule both functions' documentation states.
const versionOrder = "Names are compared as `order_by = \"version\"` of `hwc_ims_images` compares them: each is split into " +
	"runs of ASCII digits and runs of other characters, compared in turn; two digit runs by their numeric value, of any length " +
	"(at equal value the shorter run is the lower, so `1` is below `01`), any other pair byte by byte; a name that runs out " +
	"first is the lower. So `CentOS 7.10` is above `CentOS 7.9`, and two different names are never equal."

type compareVersionsFunction struct{}

func (compareVersionsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "compare_versions"
}

func (compareVersionsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:             "Compares two names as versions",
		MarkdownDescription: "Returns `-1` when `a` is the lower version, `0` when the two are equal, `1` when `a` is the higher. " + versionOrder,
		Parameters: []function.Parameter{
			function.StringParameter{Name: "a", MarkdownDescription: "A name or version, such as `Ubuntu 24.04 server 64bit`."},
			function.StringParameter{Name: "b", MarkdownDescription: "The name or version to compare it with."},
		},
		Return: function.Int64Return{},
	}
}

func (compareVersionsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var a, b string
	if resp.Error = req.Arguments.Get(ctx, &a, &b); resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, int64(selection.CompareVersions(a, b)))
}

type sortVersionsFunction struct{}

func (sortVersionsFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "sort_versions"
}

func (sortVersionsFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Sorts names in ascending version order",
		MarkdownDescription: "Returns `names` in ascending version order, equal names in the order given: " +
			"`reverse(provider::hwc::sort_versions(names))[0]` is the highest. " + versionOrder,
		Parameters: []function.Parameter{
			function.ListParameter{Name: "names", ElementType: types.StringType,
				MarkdownDescription: "The names or versions to sort; none of them may be null."},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (sortVersionsFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var names []types.String
	if resp.Error = req.Arguments.Get(ctx, &names); resp.Error != nil {
		return
	}
	sorted := make([]string, len(names))
	for i, n := range names {
		if n.IsNull() {
			resp.Error = function.NewArgumentFuncError(0, "names holds a null element: every name must be a string")
			return
		}
		sorted[i] = n.ValueString()
	}
	slices.SortStableFunc(sorted, selection.CompareVersions)
	resp.Error = resp.Result.Set(ctx, sorted)
}
