package provider

import (
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/selection"
)

// imageParams reads the filters and refinements of an IMS data source's
// configuration, which validation has already checked, into the selection
// engine's parameters. now is the time of the read; enterpriseProject is
// the provider's, sent when the configuration sets none.
func imageParams(cfg map[string]tftypes.Value, now time.Time, enterpriseProject string) (selection.Params, error) {
	c := configReader(cfg)
	p := selection.Params{Query: map[string][]string{}, After: map[string]time.Time{}, Before: map[string]time.Time{},
		Now: now, EnterpriseProject: enterpriseProject}
	if err := c.readFilters(&p); err != nil {
		return p, err
	}
	var err error
	if p.Tags, err = c.strings("tags"); err != nil {
		return p, err
	}
	if p.MinAgeText, _, err = c.text("min_age"); err != nil {
		return p, err
	}
	if p.MinAgeText != "" {
		if p.MinAge, err = time.ParseDuration(p.MinAgeText); err != nil {
			return p, fmt.Errorf("min_age: %w", err)
		}
	}
	if p.NameRegex, err = c.regex("name_regex"); err != nil {
		return p, err
	}
	if p.ExcludeNameRegex, err = c.regex("exclude_name_regex"); err != nil {
		return p, err
	}
	if p.ExcludeIDs, err = c.strings("exclude_ids"); err != nil {
		return p, err
	}
	if p.OrderBy, _, err = c.text("order_by"); err != nil {
		return p, err
	}
	tieBreak, _, err := c.text("tie_break")
	if err != nil {
		return p, err
	}
	p.OfficialTies = tieBreak == selection.TieOfficial
	if v := c["most_recent"]; !v.IsNull() {
		if err := v.As(&p.MostRecent); err != nil {
			return p, fmt.Errorf("most_recent: %w", err)
		}
	}
	if t, ok, err := c.text("limit"); err != nil {
		return p, err
	} else if ok {
		if _, err := fmt.Sscan(t, &p.Limit); err != nil {
			return p, fmt.Errorf("limit: %w", err)
		}
	}
	return p, nil
}

// readFilters reads the filters of imageFilters: sent as they are, support
// flags set to false, and time bounds.
func (c configReader) readFilters(p *selection.Params) error {
	for _, f := range imageFilters {
		t, ok, err := c.text(f.attr)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		switch {
		case f.enc == encSupportFlag && t != "true":
			p.FalseFlags = append(p.FalseFlags, selection.Flag{Attr: f.attr, Param: f.param})
		case f.enc == encAfter || f.enc == encBefore:
			at, err := parseFilterTime(t)
			if err != nil {
				return fmt.Errorf("%s: %w", f.attr, err)
			}
			if f.enc == encAfter {
				p.After[f.param] = at
			} else {
				p.Before[f.param] = at
			}
		default:
			p.Query.Set(f.param, t)
		}
	}
	return nil
}

// filter is the value a configured filter sends, or "" when it is unset.
func filter(p selection.Params, attr string) string {
	for _, f := range imageFilters {
		if f.attr == attr {
			return p.Query.Get(f.param)
		}
	}
	return ""
}

// configReader reads attribute values of a configuration.
type configReader map[string]tftypes.Value

// text is a set attribute's value as the API wants it; ok is false when it
// is null.
func (c configReader) text(attr string) (string, bool, error) {
	v := c[attr]
	if v.IsNull() {
		return "", false, nil
	}
	if !v.IsKnown() {
		return "", false, fmt.Errorf("%s is not known yet", attr)
	}
	t, err := valueText(v)
	return t, err == nil, err
}

// regex is a set attribute compiled as RE2, or nil.
func (c configReader) regex(attr string) (*regexp.Regexp, error) {
	t, ok, err := c.text(attr)
	if !ok || err != nil {
		return nil, err
	}
	re, err := regexp.Compile(t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", attr, err)
	}
	return re, nil
}

// strings is a set or list of strings, or nil.
func (c configReader) strings(attr string) ([]string, error) {
	v := c[attr]
	if v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return nil, fmt.Errorf("%s: %w", attr, err)
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		t, err := valueText(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", attr, err)
		}
		out[i] = t
	}
	return out, nil
}
