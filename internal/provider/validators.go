package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

var (
	tagPattern               = regexp.MustCompile(`^[^=]+=.*$`)
	enterpriseProjectPattern = regexp.MustCompile(`^(0|all_granted_eps|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$`)
)

// durationValidator accepts Go durations such as "30s", "2m" or "72h".
type durationValidator struct{ positive bool }

func (v durationValidator) Description(context.Context) string {
	if v.positive {
		return "a positive duration such as `30s`, `2m` or `1h30m`"
	}
	return "a duration of 0 or more such as `30m` or `72h`"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%s is %q, which is not a duration. Give a number with a unit (s, m, h), such as \"30s\", \"2m\" or \"72h\".", req.Path, s))
	case d < 0 || v.positive && d == 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Duration",
			fmt.Sprintf("%s is %q; it must be %s.", req.Path, s, v.Description(context.Background())))
	}
}

// tieBreakValidator accepts tie_break = "official" only where it can
// decide something: with most_recent set and order_by = "updated_at".
type tieBreakValidator struct{}

func (tieBreakValidator) Description(context.Context) string {
	return "`official` only with `most_recent` and `order_by = \"updated_at\"`"
}

func (v tieBreakValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tieBreakValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() != selection.TieOfficial {
		return
	}
	var orderBy types.String
	var mostRecent types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("order_by"), &orderBy)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("most_recent"), &mostRecent)...)
	if orderBy.IsUnknown() || mostRecent.IsUnknown() || resp.Diagnostics.HasError() {
		return
	}
	// most_recent may be false: a module's variable decides it, and
	// tie_break then decides nothing.
	if orderBy.ValueString() != selection.OrderUpdatedAt || mostRecent.IsNull() {
		resp.Diagnostics.AddAttributeError(req.Path, "tie_break Needs most_recent by updated_at",
			fmt.Sprintf("%s = \"official\" decides which image most_recent keeps of images updated in the same second, so it needs "+
				"most_recent and order_by = \"updated_at\" (here most_recent is %s and order_by is %s). Set both, or remove tie_break.",
				req.Path, mostRecent, orderBy))
	}
}

// regexValidator accepts RE2 regular expressions of at most maxRegexLength
// characters: matching costs the length of the expression times the length
// of each name, and image names are short.
type regexValidator struct{}

const maxRegexLength = 1024

func (regexValidator) Description(context.Context) string {
	return "an RE2 regular expression of at most 1,024 characters"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if n := utf8.RuneCountInString(req.ConfigValue.ValueString()); n > maxRegexLength {
		resp.Diagnostics.AddAttributeError(req.Path, "Regular Expression Too Long",
			fmt.Sprintf("%s is %d characters long; it may be at most %d. Image names are short, and a longer expression makes every "+
				"listing slow to refine: match a shorter pattern, or narrow the query with name, platform or image_type.", req.Path, n, maxRegexLength))
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Regular Expression",
			fmt.Sprintf("%s is not a valid RE2 regular expression: %s.", req.Path, err))
	}
}

// wholeNumberValidator accepts whole numbers from min to max (no upper
// bound when max is 0) that fit an int64. Number attributes, not Int64 ones,
// take them: the same attributes hold what the API returns, which may be any
// number.
type wholeNumberValidator struct{ min, max int64 }

func (v wholeNumberValidator) Description(context.Context) string {
	if v.max == 0 {
		return fmt.Sprintf("a whole number, %d or more", v.min)
	}
	return fmt.Sprintf("a whole number from %d to %d", v.min, v.max)
}

func (v wholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberValidator) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := req.ConfigValue.ValueBigFloat()
	i, acc := n.Int64()
	if !n.IsInt() || acc != big.Exact || i < v.min || v.max != 0 && i > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Number",
			fmt.Sprintf("%s is %s; it must be %s.", req.Path, n.Text('f', -1), v.Description(ctx)))
	}
}

// trueOnlyValidator accepts true: a filter the API takes only as true, where
// false would be sent and fail, or silently mean what the user did not ask.
type trueOnlyValidator struct{}

func (trueOnlyValidator) Description(context.Context) string { return "true, or unset" }

func (v trueOnlyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (trueOnlyValidator) ValidateBool(_ context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && !req.ConfigValue.ValueBool() {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Filter Value",
			fmt.Sprintf("%s = false is not a filter the API takes: it accepts only true. Leave %s unset to select images whatever its value.", req.Path, req.Path))
	}
}

// timeValidator accepts RFC 3339 times that exist on the calendar.
type timeValidator struct{}

func (timeValidator) Description(context.Context) string {
	return "an RFC 3339 time such as `2024-05-01T00:00:00Z`"
}

func (v timeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (timeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseFilterTime(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Time",
			fmt.Sprintf("%s is %q: %s. Give an RFC 3339 time such as \"2024-05-01T00:00:00Z\" or \"2024-05-01T08:00:00+08:00\".",
				req.Path, req.ConfigValue.ValueString(), err))
	}
}

// parseFilterTime parses an RFC 3339 time; time.Parse also rejects days that
// do not exist, such as February 30.
func parseFilterTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return time.Time{}, errors.New(strings.TrimPrefix(pe.Message, ": "))
		}
		return time.Time{}, errors.New("not an RFC 3339 time")
	}
	return t, nil
}

// requiresStringValue makes an attribute valid only when another string
// attribute holds a given value.
type requiresStringValue struct {
	other string
	value string
}

func (v requiresStringValue) Description(context.Context) string {
	return fmt.Sprintf("needs `%s = %q`", v.other, v.value)
}

func (v requiresStringValue) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v requiresStringValue) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() {
		return
	}
	var other types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.other), &other)...)
	if other.IsUnknown() {
		return
	}
	if other.ValueString() != v.value {
		resp.Diagnostics.AddAttributeError(req.Path, "Incompatible Filters",
			fmt.Sprintf("%s filters shared images only, so it needs %s = %q in the same data source.", req.Path, v.other, v.value))
	}
}

// regionValidator checks a region name by the client's rule.
type regionValidator struct{}

func (regionValidator) Description(context.Context) string {
	return "a region name of lower-case letters, digits and hyphens, such as `cn-north-4`"
}

func (v regionValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := client.CheckRegion(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Region", fmt.Sprintf("%s: %s.", req.Path, err))
	}
}

// hintedOneOf is stringvalidator.OneOf with a hint added to its error for
// the values a user of the official provider's image data sources writes
// here by habit.
type hintedOneOf struct {
	validator.String
	hints map[string]string
}

func (v hintedOneOf) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	var inner validator.StringResponse
	v.String.ValidateString(ctx, req, &inner)
	hint := v.hints[req.ConfigValue.ValueString()]
	for _, d := range inner.Diagnostics {
		if hint == "" || d.Severity() != diag.SeverityError {
			resp.Diagnostics.Append(d)
			continue
		}
		resp.Diagnostics.AddAttributeError(req.Path, d.Summary(), d.Detail()+". "+hint)
	}
}

// migrationHints are the hints of hintedOneOf, by attribute and value:
// the official provider's names and values that mean something else here.
var migrationHints = map[string]map[string]string{
	"image_type": {
		"public":        `The official provider's visibility = "public" is image_type = "gold" here (see the migration guide).`,
		"FusionCompute": `That is a virtual_env_type: the official provider's image_type is virtual_env_type here (see the migration guide).`,
		"Ironic":        `That is a virtual_env_type: the official provider's image_type is virtual_env_type here (see the migration guide).`,
		"DataImage":     `That is a virtual_env_type: the official provider's image_type is virtual_env_type here (see the migration guide).`,
		"IsoImage":      `That is a virtual_env_type: the official provider's image_type is virtual_env_type here (see the migration guide).`,
	},
	"visibility": {
		"market": `KooGallery images are image_type = "market" here (the official provider's visibility = "market"; see the migration guide).`,
	},
}

// enterpriseProjectValidator accepts the enterprise projects IMS takes.
func enterpriseProjectValidator() validator.String {
	return stringvalidator.RegexMatches(enterpriseProjectPattern, "must be 0, a UUID or all_granted_eps")
}

// sentConflict refuses an attribute that is sent beside a support flag the
// API refuses with it: a text that is set, or a flag that is true, beside
// a flag in with that is true. A flag set to false is not sent (it keeps
// images whose flag is not true, on the client), so it conflicts with
// nothing.
type sentConflict struct{ with []string }

func (v sentConflict) Description(context.Context) string {
	return "cannot be sent with " + strings.Join(v.with, " or ") + " set to true"
}

func (v sentConflict) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v sentConflict) ValidateBool(ctx context.Context, req validator.BoolRequest, resp *validator.BoolResponse) {
	if req.ConfigValue.ValueBool() {
		v.check(ctx, req.Config, req.Path, &resp.Diagnostics)
	}
}

func (v sentConflict) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() {
		v.check(ctx, req.Config, req.Path, &resp.Diagnostics)
	}
}

func (v sentConflict) check(ctx context.Context, config tfsdk.Config, p path.Path, diags *diag.Diagnostics) {
	for _, other := range v.with {
		var flag types.Bool
		if d := config.GetAttribute(ctx, path.Root(other), &flag); d.HasError() || !flag.ValueBool() {
			continue
		}
		diags.AddAttributeError(p, "Invalid Attribute Combination", fmt.Sprintf("Attribute %q cannot be true when %q is set: "+
			"the API refuses the two together. (%s = false is not sent, so it may stay.)", other, p, other))
	}
}
