package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

var (
	tagPattern               = regexp.MustCompile(`^[^=]+=.*$`)
	enterpriseProjectPattern = regexp.MustCompile(`^(0|all_granted_eps|[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12})$`)
)

// apiTimeFormat is how IMS takes times in created_at and updated_at.
const apiTimeFormat = "2006-01-02T15:04:05Z"

// refinementAttributes are the client-side refinements, shared by both IMS
// data sources.
func refinementAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name_regex": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "RE2 regular expression the image name must match anywhere (use `^…$` to anchor). " +
				"Applied by the provider to what the API returns.",
			Validators: []validator.String{regexValidator{}},
		},
		"most_recent": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Keep only the newest image by `created_at`; of images created in the same second, the one with " +
				"the larger `id`. The answer is the one the full listing would give, read with as few requests as that allows.",
		},
		"limit": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: "Keep at most this many images (1 or more), the first ones in API order after every other refinement. " +
				"When nothing else is applied by the provider, it is also the API's page size, so a small limit costs one small request.",
			Validators: []validator.Int64{int64validator.AtLeast(1)},
		},
	}
}

// stage is one client-side refinement that drops images.
type stage struct {
	name string
	keep func(client.Record) bool
}

// selection is what a configuration asks of IMS: the query sent and the
// refinements applied to what comes back.
type selection struct {
	query      url.Values
	stages     []stage
	mostRecent bool
	limit      int
	// newestFirst is true when the API lists by created_at, newest first, so
	// most_recent can stop reading once a page reaches older images.
	newestFirst bool
}

// newSelection reads the filters and refinements of a configuration, which
// validation has already checked.
func newSelection(cfg map[string]tftypes.Value) (*selection, error) {
	s := &selection{query: url.Values{}}
	var afterSet = map[string]bool{}
	for _, f := range imageFilters {
		if f.enc == encAfter && !cfg[f.attr].IsNull() {
			afterSet[f.param] = true
		}
	}
	for _, f := range imageFilters {
		v := cfg[f.attr]
		if v.IsNull() {
			continue
		}
		if !v.IsKnown() {
			return nil, fmt.Errorf("%s is not known yet", f.attr)
		}
		text, err := valueText(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.attr, err)
		}
		switch f.enc {
		case encPlain:
			s.query.Set(f.param, text)
		case encSupportFlag:
			if text == "true" {
				s.query.Set(f.param, "true")
				continue
			}
			key := f.param
			s.stages = append(s.stages, stage{name: f.attr + " = false", keep: func(r client.Record) bool {
				b, ok := r.Bool(key)
				return !ok || !b
			}})
		case encAfter:
			t, err := parseFilterTime(text)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.attr, err)
			}
			s.query.Set(f.param, "gt:"+t.UTC().Truncate(time.Second).Format(apiTimeFormat))
		case encBefore:
			t, err := parseFilterTime(text)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.attr, err)
			}
			if afterSet[f.param] {
				key := f.param
				s.stages = append(s.stages, stage{name: f.attr, keep: func(r client.Record) bool {
					at, ok := r.Time(key)
					return ok && at.Before(t)
				}})
				continue
			}
			s.query.Set(f.param, "lt:"+ceilSecond(t).UTC().Format(apiTimeFormat))
		}
	}
	if v := cfg["name_regex"]; !v.IsNull() {
		text, err := valueText(v)
		if err != nil {
			return nil, err
		}
		re, err := regexp.Compile(text)
		if err != nil {
			return nil, fmt.Errorf("name_regex: %w", err)
		}
		s.stages = append(s.stages, stage{name: "name_regex", keep: func(r client.Record) bool {
			name, _ := r.String("name")
			return re.MatchString(name)
		}})
	}
	if v := cfg["most_recent"]; !v.IsNull() {
		if err := v.As(&s.mostRecent); err != nil {
			return nil, err
		}
	}
	if v := cfg["limit"]; !v.IsNull() {
		text, err := valueText(v)
		if err != nil {
			return nil, err
		}
		if _, err := fmt.Sscan(text, &s.limit); err != nil {
			return nil, fmt.Errorf("limit: %w", err)
		}
	}
	sortKey, sortDir := s.query.Get("sort_key"), s.query.Get("sort_dir")
	s.newestFirst = (sortKey == "" || sortKey == "created_at") && (sortDir == "" || sortDir == "desc")
	return s, nil
}

// ceilSecond rounds t up to the whole second, so that lt:TIME keeps every
// image created before t.
func ceilSecond(t time.Time) time.Time {
	if tr := t.Truncate(time.Second); !tr.Equal(t) {
		return tr.Add(time.Second)
	}
	return t
}

// queryText is the effective query, canonical, without marker and limit.
func (s *selection) queryText() string { return client.CanonicalQuery(s.query) }

// result is what a listing produced, with the accounting a miss explains.
type result struct {
	images   []client.Record
	returned int   // images the API returned
	removed  []int // per stage, images it dropped
	requests int
	partial  bool // stopped before the end of the listing
}

// log records, at DEBUG, what the listing cost and kept.
func (r *result) log(ctx context.Context) {
	tflog.Debug(ctx, "IMS listing done", map[string]any{
		"requests": r.requests, "returned": r.returned, "kept": len(r.images), "stopped_early": r.partial,
	})
}

// run lists and refines. stopAfter > 0 ends the listing once that many images
// are kept, when nothing reorders them (hwc_ims_image passes 2: a second match
// is already an error).
func (s *selection) run(ctx context.Context, c *client.Client, stopAfter int) (*result, error) {
	if s.limit > 0 && (stopAfter == 0 || s.limit < stopAfter) {
		stopAfter = s.limit
	}
	pageSize := client.MaxIMSPageSize
	if s.limit > 0 && s.limit < pageSize && len(s.stages) == 0 && !s.mostRecent {
		pageSize = s.limit
	}
	res := &result{removed: make([]int, len(s.stages))}
	var best client.Record
	var bestAt time.Time
	found := false
	requests, err := c.ListImages(ctx, s.query, pageSize, func(page []client.Record) bool {
		res.returned += len(page)
	images:
		for _, r := range page {
			for i, st := range s.stages {
				if !st.keep(r) {
					res.removed[i]++
					continue images
				}
			}
			if s.mostRecent {
				if at, _ := r.Time("created_at"); !found || newer(r, at, best, bestAt) {
					best, bestAt, found = r, at, true
				}
				continue
			}
			res.images = append(res.images, r)
		}
		if s.mostRecent {
			if s.newestFirst && found && len(page) > 0 {
				if last, ok := page[len(page)-1].Time("created_at"); ok && last.Before(bestAt) {
					res.partial = true
					return false
				}
			}
			return true
		}
		if stopAfter > 0 && len(res.images) >= stopAfter {
			res.partial = true
			return false
		}
		return true
	})
	res.requests = requests
	if err != nil {
		return nil, err
	}
	if s.mostRecent && found {
		res.images = []client.Record{best}
	}
	if s.limit > 0 && len(res.images) > s.limit {
		res.images = res.images[:s.limit]
	}
	return res, nil
}

// newer reports whether image a (created at aAt) is newer than b: later
// created_at, or the same and a larger id.
func newer(a client.Record, aAt time.Time, b client.Record, bAt time.Time) bool {
	if !aAt.Equal(bAt) {
		return aAt.After(bAt)
	}
	aID, _ := a.String("id")
	bID, _ := b.String("id")
	return aID > bID
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
		fmt.Fprintf(h, "%s=%q\n", k, hashText(v))
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
