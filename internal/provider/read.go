package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/directread"
)

// The read plumbing every data source shares: the configuration as
// attribute values, the region, the timeouts block, and the state.

const defaultReadTimeout = 10 * time.Minute

// regionAttribute is the region argument of every data source.
func regionAttribute() schema.Attribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		MarkdownDescription: "Region to read, such as `ap-southeast-3`, instead of the provider's `region`. Its endpoints are the " +
			"default ones built on it, or the provider's `endpoints` with `{region}` replaced; its project ID is looked up " +
			"through IAM once per region and run (unless it is the provider's region and `project_id` is set). Unset, it holds " +
			"the provider's region.",
		Validators: []validator.String{regionValidator{}},
	}
}

// dataRead is one data source read under way.
type dataRead struct {
	ctx    context.Context
	cfg    map[string]tftypes.Value // the configuration, by attribute
	region *client.Region
	now    func() time.Time // the provider's clock, for min_age
	eps    string           // the provider's enterprise project
	end    func()
}

// beginRead checks the provider is configured, reads the configuration as
// attribute values, picks the region and bounds the context by the timeouts
// block. It reports false, with diagnostics, when the read cannot go on.
// The caller defers end, which releases the context and logs, at DEBUG, when
// the read started and how long it took.
func beginRead(ctx context.Context, pd *providerData, config tfsdk.Config, diags *diag.Diagnostics) (*dataRead, bool) {
	r := &dataRead{ctx: ctx, end: func() {}}
	if pd == nil {
		diags.AddError("Provider Not Configured", "The hwc provider was not configured before this data source was read. Please report this issue.")
		return r, false
	}
	if d := pd.ready(ctx); d.HasError() {
		diags.Append(d...)
		return r, false
	}
	started := time.Now()
	logDone := func() {
		tflog.Debug(ctx, "Read complete", map[string]any{
			"started_at":  started.UTC().Format(time.RFC3339Nano),
			"duration_ms": float64(time.Since(started).Microseconds()) / 1000,
		})
	}
	r.end = logDone
	var t timeouts.Value
	diags.Append(config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	timeout, tDiags := t.Read(ctx, defaultReadTimeout)
	diags.Append(tDiags...)
	if err := config.Raw.As(&r.cfg); err != nil {
		diags.AddError("Unable to Read the Configuration", err.Error())
	}
	if diags.HasError() {
		return r, false
	}
	region, err := pd.client.Region(stringValue(r.cfg["region"]))
	if err != nil {
		diags.AddAttributeError(path.Root("region"), "Invalid Region", err.Error())
		return r, false
	}
	r.region, r.now, r.eps = region, pd.now, pd.enterpriseProject
	var cancel context.CancelFunc
	r.ctx, cancel = context.WithTimeout(ctx, timeout)
	r.end = func() { cancel(); logDone() }
	return r, true
}

// stringValue is a known string's value, or "".
func stringValue(v tftypes.Value) string {
	var s string
	if v.IsKnown() && !v.IsNull() && v.Type().Is(tftypes.String) {
		_ = v.As(&s)
	}
	return s
}

// state starts the state of the read: the configuration, with the region
// that was read filled in.
func (r *dataRead) state() map[string]tftypes.Value {
	state := maps.Clone(r.cfg)
	state["region"] = tftypes.NewValue(tftypes.String, r.region.Name())
	return state
}

// readInto is the framework Read of a directread.Reader: its state, with
// each list's value built.
func readInto(ctx context.Context, d directread.Reader, config tfsdk.Config, state *tfsdk.State, diags *diag.Diagnostics) {
	res, ok := d.ReadState(client.WithCostScale(ctx, frameworkCostScale), config, diags)
	if !ok {
		return
	}
	for name, l := range res.Lists {
		res.Attrs[name] = l.Value()
	}
	setState(ctx, state, res.Attrs, diags)
}

// frameworkCostScale is how many times more memory the framework takes to
// build a state than the direct path (measured: 9 to 12 times, for images
// and for list elements), by which it scales down what a read may keep.
const frameworkCostScale = 12

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

// configHash is a stable hash of the configured filters and refinements as
// written: the same configuration gives the same id on every read.
func configHash(cfg map[string]tftypes.Value, skip ...string) string {
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		v := cfg[k]
		if v.IsNull() || !v.IsKnown() || slices.Contains(skip, k) {
			continue
		}
		_, _ = fmt.Fprintf(h, "%s=%q\n", k, hashText(v))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// hashText renders a primitive, or a list or set of them (sets sorted).
func hashText(v tftypes.Value) string {
	if text, err := valueText(v); err == nil {
		return text
	}
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return v.String()
	}
	texts := make([]string, len(elems))
	for i, e := range elems {
		texts[i] = hashText(e)
	}
	if v.Type().Is(tftypes.Set{}) {
		sort.Strings(texts)
	}
	return strings.Join(texts, "\x00")
}
