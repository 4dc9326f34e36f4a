package provider

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/emulator"
)

// validatorStrings are the strings the provider's validators name in their
// descriptions (the values of each one-of, quoted or in backticks), and a
// few more of every form an argument meets: durations, times, regular
// expressions valid and not, regions, and the empty string.
func validatorStrings(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	named := regexp.MustCompile("\"([^\"]*)\"|`([^`]*)`")
	seen := map[string]bool{}
	for _, s := range []string{"", "x", "72h", "-1h", "1.5d", "2025-01-01T00:00:00Z", "yesterday", "^Ubuntu (\\d+)\\.", "(",
		"cn-north-4", "no region!", "Linux", "name", "version", "abc-123"} {
		seen[s] = true
	}
	for _, factory := range (&hwcProvider{}).DataSources(ctx) {
		var resp datasource.SchemaResponse
		factory().Schema(ctx, datasource.SchemaRequest{}, &resp)
		for _, a := range resp.Schema.Attributes {
			if sa, ok := a.(schema.StringAttribute); ok {
				for _, v := range sa.Validators {
					for _, m := range named.FindAllStringSubmatch(v.Description(ctx), -1) {
						seen[m[1]+m[2]] = true
					}
				}
			}
		}
	}
	if len(seen) < 40 {
		t.Fatalf("the validators name %d strings: too few to test with", len(seen))
	}
	return slices.Sorted(func(yield func(string) bool) {
		for s := range seen {
			if !yield(s) {
				return
			}
		}
	})
}

// sparseConfig is a configuration as users write them: a few arguments
// set, each to a value of the pool (or unknown), the computed attributes
// null, the timeouts block now and then.
func sparseConfig(rnd *rand.Rand, block *tfprotov6.SchemaBlock, strs []string) tftypes.Value {
	typ := block.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	str := func() tftypes.Value { return tftypes.NewValue(tftypes.String, strs[rnd.IntN(len(strs))]) }
	for _, a := range block.Attributes {
		at := typ.AttributeTypes[a.Name]
		vals[a.Name] = tftypes.NewValue(at, nil)
		if a.Computed && !a.Optional || rnd.IntN(10) > 0 {
			continue
		}
		switch {
		case rnd.IntN(12) == 0:
			vals[a.Name] = tftypes.NewValue(at, tftypes.UnknownValue)
		case at.Is(tftypes.String):
			vals[a.Name] = str()
		case at.Is(tftypes.Bool):
			vals[a.Name] = tftypes.NewValue(at, rnd.IntN(2) == 0)
		case at.Is(tftypes.Number):
			vals[a.Name] = tftypes.NewValue(at, big.NewFloat([]float64{0, 1, -1, 2.5, 72, 1e20, 100000}[rnd.IntN(7)]))
		case at.Is(tftypes.List{ElementType: tftypes.String}), at.Is(tftypes.Set{ElementType: tftypes.String}):
			var elems []tftypes.Value
			for range rnd.IntN(3) {
				if e := str(); !slices.ContainsFunc(elems, e.Equal) {
					elems = append(elems, e)
				}
			}
			vals[a.Name] = tftypes.NewValue(at, elems)
		default:
			panic(fmt.Sprintf("no value for %s (%s)", a.Name, at))
		}
	}
	for _, b := range block.BlockTypes {
		bt := typ.AttributeTypes[b.TypeName]
		vals[b.TypeName] = tftypes.NewValue(bt, nil)
		if rnd.IntN(4) == 0 {
			vals[b.TypeName] = sparseConfig(rnd, b.Block, strs)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// The data sources the direct path validates are validated as the
// framework validates them — the same diagnostics, in any order — on
// thousands of configurations built from the values their validators name,
// before the provider is configured (Terraform's validate walk) and after
// (its plan walk).
func TestValidationMatchesFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if got := slices.Sorted(slices.Values(directread.ValidatedDataSources(ctx, &hwcProvider{}))); !slices.Equal(got, directDataSources) {
		t.Fatalf("the direct path validates %v, want %v", got, directDataSources)
	}
	strs := validatorStrings(t)
	srv := httptest.NewServer(emulator.New(emulator.Options{}))
	defer srv.Close()
	key := func(d *tfprotov6.Diagnostic) string {
		return fmt.Sprintf("%d\x00%s\x00%s\x00%s", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	sorted := func(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
		return slices.SortedFunc(slices.Values(diags), func(a, b *tfprotov6.Diagnostic) int { return cmp.Compare(key(a), key(b)) })
	}
	for _, configured := range []bool{false, true} {
		framework, direct := testServer(WithFrameworkReads(true))(), testServer()()
		var schemas *tfprotov6.GetProviderSchemaResponse
		for _, s := range []tfprotov6.ProviderServer{framework, direct} {
			if configured {
				schemas = configureServer(t, s, srv.URL)
			} else if resp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
				t.Fatal(err)
			} else {
				schemas = resp
			}
		}
		rnd := rand.New(rand.NewPCG(5, 6))
		for _, name := range directDataSources {
			block := schemas.DataSourceSchemas[name].Block
			typ := block.ValueType()
			clean, summaries := 0, map[string]bool{}
			for i := range 1000 {
				raw := sparseConfig(rnd, block, strs)
				cfg, err := tfprotov6.NewDynamicValue(typ, raw)
				if err != nil {
					t.Fatal(err)
				}
				req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: name, Config: &cfg}
				want, err := framework.ValidateDataResourceConfig(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				got, err := direct.ValidateDataResourceConfig(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(sorted(want.Diagnostics), sorted(got.Diagnostics)); diff != "" {
					t.Fatalf("%s, configured %v, configuration %d, %s: diagnostics differ (-framework +direct):\n%s", name, configured, i, raw, diff)
				}
				if !hasError(want.Diagnostics) {
					clean++
				}
				for _, d := range want.Diagnostics {
					summaries[d.Summary] = true
				}
			}
			t.Logf("%s, configured %v: %d of 1000 configurations without errors; diagnostics %v", name, configured, clean, slices.Sorted(func(yield func(string) bool) {
				for s := range summaries {
					if !yield(s) {
						return
					}
				}
			}))
			if clean < 50 || clean > 900 || len(summaries) < 8 {
				t.Errorf("%s: %d configurations without errors, %d kinds of diagnostic: the configurations test too little", name, clean, len(summaries))
			}
		}
	}
}
