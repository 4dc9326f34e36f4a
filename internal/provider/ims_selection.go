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
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

// refinementAttributes are the client-side refinements and the safe
// selection attributes, shared by both IMS data sources.
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
			MarkdownDescription: "Keep only one image: the newest by `created_at` (of images created in the same second, the one " +
				"with the larger `id`), or with `order_by = \"version\"` the highest version. The answer is the one the full " +
				"listing would give, read with as few requests as that allows.",
		},
		"limit": schema.Int64Attribute{
			Optional: true,
			MarkdownDescription: "Keep at most this many images (1 or more): the first ones after every other refinement, " +
				"`order_by` included. When nothing else is applied by the provider, it is also the API's page size, so a small " +
				"limit costs one small request.",
			Validators: []validator.Int64{int64validator.AtLeast(1)},
		},
		"exclude_ids": schema.SetAttribute{
			Optional:            true,
			ElementType:         types.StringType,
			MarkdownDescription: "Image IDs to leave out, such as a known-bad build, so that it stays out of every plan.",
			Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
		},
		"exclude_name_regex": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "RE2 regular expression: leave out images whose name matches it anywhere, as `name_regex` matches.",
			Validators:          []validator.String{regexValidator{}},
		},
		"min_age": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Soak window: leave out images created less than this long before the read, as a duration " +
				"such as `72h` or `30m` (0 or more), so that a freshly published image does not reach production at once. " +
				"It tightens `created_before` (the earlier bound wins, cut to the whole second) and is sent to the API as " +
				"`created_at=lt:TIME`, at no extra cost, unless `created_after` is also set; then the provider applies it.",
			Validators: []validator.String{durationValidator{}},
		},
		"order_by": schema.StringAttribute{
			Optional: true,
			MarkdownDescription: "Order of `images`, and what `most_recent` keeps: `created_at` (newest first; in the same " +
				"second, the larger `id` first) or `version` (highest version of the name first, comparing digit runs as " +
				"numbers, so `CentOS 7.10` is above `CentOS 7.9`; equal names by `created_at`). Unset: the API's order.",
			Validators: []validator.String{stringvalidator.OneOf(orderCreatedAt, orderVersion)},
		},
		"query": schema.StringAttribute{
			Computed: true,
			MarkdownDescription: "The effective query sent to IMS, canonical (keys sorted; `marker` and `limit` left out), so " +
				"you can see exactly what was asked. With `min_age`, its `created_at` bound moves with the clock, so `query` " +
				"changes from one plan to the next: keep it out of outputs that drift checks compare.",
		},
		"tags": tagsAttribute(false, ""),
	}
}

// tagsAttribute is the tags filter; computed makes it Optional+Computed,
// as hwc_ims_image needs, where it also holds the selected image's tags.
func tagsAttribute(computed bool, extraDesc string) schema.Attribute {
	return schema.SetAttribute{
		Optional:    true,
		Computed:    computed,
		ElementType: types.StringType,
		MarkdownDescription: "Tags as `key=value`, every one of which must be on the image. The API takes one tag: when `tag` " +
			"is unset, the first of `tags` in sorted order is sent as `tag`, and the provider matches the others (and all of " +
			"them when `tag` is set) against the image's tags, in the same single listing." + extraDesc,
		Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(tagPattern, "must be key=value, such as env=prod"))},
	}
}

const (
	orderCreatedAt = "created_at"
	orderVersion   = "version"
)

// stage is one client-side refinement that drops images.
type stage struct {
	name string
	keep func(client.Record) bool
	// minAge marks the min_age stage, so a miss can say how old the newest
	// image it held back is.
	minAge bool
	// caseFold, on name_regex, is the same pattern without regard to letter
	// case, so a miss can say how many images it would have kept.
	caseFold *regexp.Regexp
}

// selection is what a configuration asks of IMS: the query sent and the
// refinements applied to what comes back.
type selection struct {
	query      url.Values
	stages     []stage
	orderBy    string
	mostRecent bool
	limit      int
	// newestFirst is true when the API lists by created_at, newest first, so
	// a created_at order can stop reading once a page reaches older images.
	newestFirst bool

	now time.Time // the time of the read

	// For an explained miss.
	name         string         // the name filter
	nameRegex    *regexp.Regexp // the name_regex refinement
	minAge       time.Duration  // the soak window, when set
	cutoff       time.Time      // images created at or after it are too new
	minAgeText   string         // min_age as configured
	minAgeBound  bool           // the min_age cut-off is the created_at before bound
	minAgePushed bool           // and it is sent to the API as created_at=lt
	userBefore   string         // the created_at=lt value created_before alone would send
}

// newSelection reads the filters and refinements of a configuration, which
// validation has already checked. now is the time of the read. The stages
// run in the order of the refinements: API filters applied here (support
// flags set to false, the second bound of a time pair, tags beyond the one
// sent), name_regex, exclude_name_regex, exclude_ids, min_age.
func newSelection(cfg map[string]tftypes.Value, now time.Time) (*selection, error) {
	s := &selection{query: url.Values{}, now: now}
	c := configReader(cfg)
	before, err := s.readFilters(c)
	if err != nil {
		return nil, err
	}
	if err := s.readTags(c); err != nil {
		return nil, err
	}
	if err := s.readMinAge(c, before); err != nil {
		return nil, err
	}
	beforeStages := s.applyBefore(before)
	if err := s.readExclusions(c); err != nil {
		return nil, err
	}
	s.stages = append(s.stages, beforeStages...)
	if err := s.readOrdering(c); err != nil {
		return nil, err
	}
	return s, nil
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

// readFilters puts the filters in the query. A support flag set to false
// becomes a stage; an unset status is sent as active. The API takes one
// created_at and one updated_at condition: the after bounds are sent, and
// the before bounds returned for applyBefore.
func (s *selection) readFilters(c configReader) (map[string]time.Time, error) {
	before := map[string]time.Time{}
	for _, f := range imageFilters {
		t, ok, err := c.text(f.attr)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		switch f.enc {
		case encPlain:
			s.query.Set(f.param, t)
		case encSupportFlag:
			if t == "true" {
				s.query.Set(f.param, "true")
				continue
			}
			key := f.param
			s.stages = append(s.stages, stage{name: f.attr + " = false", keep: func(r client.Record) bool {
				b, ok := r.Bool(key)
				return !ok || !b
			}})
		case encAfter, encBefore:
			at, err := parseFilterTime(t)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.attr, err)
			}
			at = at.UTC().Truncate(time.Second)
			if f.enc == encAfter {
				s.query.Add(f.param, "gt:"+at.Format(apiTimeFormat))
			} else {
				before[f.param] = at
			}
		}
	}
	if !s.query.Has("status") {
		s.query.Set("status", defaultStatus)
	}
	s.name = s.query.Get("name")
	return before, nil
}

// defaultStatus is the status sent when none is configured: only images
// ready for use are selected.
const defaultStatus = "active"

// readTags sends the first of tags (sorted) as the tag filter when tag is
// unset, and matches the others on the client: every one must be on the
// image.
func (s *selection) readTags(c configReader) error {
	tags, err := c.strings("tags")
	if err != nil || len(tags) == 0 {
		return err
	}
	sort.Strings(tags)
	if !s.query.Has("tag") {
		s.query.Set("tag", tags[0])
		tags = tags[1:]
	}
	if len(tags) == 0 {
		return nil
	}
	s.stages = append(s.stages, stage{name: "tags", keep: func(r client.Record) bool {
		have, _ := r.Strings("tags")
		for _, t := range tags {
			if !slices.Contains(have, t) {
				return false
			}
		}
		return true
	}})
	return nil
}

// readMinAge reads the soak window, which tightens the created_at before
// bound.
func (s *selection) readMinAge(c configReader, before map[string]time.Time) error {
	t, ok, err := c.text("min_age")
	if err != nil || !ok {
		return err
	}
	s.minAgeText = t
	if s.minAge, err = time.ParseDuration(t); err != nil {
		return fmt.Errorf("min_age: %w", err)
	}
	s.cutoff = s.now.Add(-s.minAge).UTC().Truncate(time.Second)
	if b, ok := before["created_at"]; ok {
		s.userBefore = "lt:" + b.Format(apiTimeFormat)
	}
	if b, ok := before["created_at"]; !ok || s.cutoff.Before(b) {
		before["created_at"] = s.cutoff
		s.minAgeBound = true
	}
	return nil
}

// applyBefore sends each before bound whose pair has no after bound, and
// makes the others stages: updated_at with the API filters, created_at
// (min_age among them) after the exclusions, as the refinement order says.
func (s *selection) applyBefore(before map[string]time.Time) []stage {
	var createdStages []stage
	for _, param := range []string{"updated_at", "created_at"} {
		b, ok := before[param]
		if !ok {
			continue
		}
		isMinAge := param == "created_at" && s.minAgeBound
		if !s.query.Has(param) {
			s.query.Set(param, "lt:"+b.Format(apiTimeFormat))
			s.minAgePushed = s.minAgePushed || isMinAge
			continue
		}
		name := strings.TrimSuffix(param, "_at") + "_before"
		if isMinAge {
			name = "min_age"
		}
		st := stage{name: name, minAge: isMinAge, keep: func(r client.Record) bool {
			at, ok := r.Time(param)
			return ok && at.Before(b)
		}}
		if param == "updated_at" {
			s.stages = append(s.stages, st)
		} else {
			createdStages = append(createdStages, st)
		}
	}
	return createdStages
}

// readExclusions adds name_regex, exclude_name_regex and exclude_ids.
func (s *selection) readExclusions(c configReader) error {
	include, err := c.regex("name_regex")
	if err != nil {
		return err
	}
	if include != nil {
		s.nameRegex = include
		st := stage{name: "name_regex", keep: func(r client.Record) bool {
			name, _ := r.String("name")
			return include.MatchString(name)
		}}
		if fold, err := regexp.Compile("(?i)" + include.String()); err == nil && fold.String() != include.String() {
			st.caseFold = fold
		}
		s.stages = append(s.stages, st)
	}
	exclude, err := c.regex("exclude_name_regex")
	if err != nil {
		return err
	}
	if exclude != nil {
		s.stages = append(s.stages, stage{name: "exclude_name_regex", keep: func(r client.Record) bool {
			name, _ := r.String("name")
			return !exclude.MatchString(name)
		}})
	}
	ids, err := c.strings("exclude_ids")
	if err != nil || ids == nil {
		return err
	}
	excluded := make(map[string]bool, len(ids))
	for _, id := range ids {
		excluded[id] = true
	}
	s.stages = append(s.stages, stage{name: "exclude_ids", keep: func(r client.Record) bool {
		id, _ := r.String("id")
		return !excluded[id]
	}})
	return nil
}

// readOrdering reads order_by, most_recent and limit.
func (s *selection) readOrdering(c configReader) error {
	var err error
	if s.orderBy, _, err = c.text("order_by"); err != nil {
		return err
	}
	if v := c["most_recent"]; !v.IsNull() {
		if err := v.As(&s.mostRecent); err != nil {
			return fmt.Errorf("most_recent: %w", err)
		}
	}
	if t, ok, err := c.text("limit"); err != nil {
		return err
	} else if ok {
		if _, err := fmt.Sscan(t, &s.limit); err != nil {
			return fmt.Errorf("limit: %w", err)
		}
	}
	sortKey, sortDir := s.query.Get("sort_key"), s.query.Get("sort_dir")
	s.newestFirst = (sortKey == "" || sortKey == "created_at") && (sortDir == "" || sortDir == "desc")
	return nil
}

// queryText is the effective query, canonical, without marker and limit.
func (s *selection) queryText() string { return client.CanonicalQuery(s.query) }

// relaxedQuery is the query a miss is explained with: without the name
// filter and without the min_age bound (created_before's own bound stays).
// It is nil when the miss needs no such request.
func (s *selection) relaxedQuery() url.Values {
	if s.name == "" && !s.minAgePushed {
		return nil
	}
	q := url.Values{}
	for k, v := range s.query {
		q[k] = slices.Clone(v)
	}
	q.Del("name")
	if s.minAgePushed {
		q.Del("created_at")
		if s.userBefore != "" {
			q.Set("created_at", s.userBefore)
		}
	}
	return q
}

// result is what a listing produced, with the accounting a miss explains.
type result struct {
	images   []client.Record
	returned int   // images the API returned
	removed  []int // per stage, images it dropped
	requests int
	partial  bool // stopped before the end of the listing
	// newestHeldBack is the creation time of the newest image the min_age
	// stage removed, when it removed any.
	newestHeldBack time.Time
	// caseFoldKept counts images name_regex removed that it would have kept
	// without regard to letter case.
	caseFoldKept int
}

// note keeps what a miss explains of an image a stage removed.
func (r *result) note(st stage, img client.Record) {
	if at := imageTime(img); st.minAge && at.After(r.newestHeldBack) {
		r.newestHeldBack = at
	}
	if st.caseFold != nil {
		if name, _ := img.String("name"); st.caseFold.MatchString(name) {
			r.caseFoldKept++
		}
	}
}

// log records, at DEBUG, what the listing cost and kept.
func (r *result) log(ctx context.Context) {
	tflog.Debug(ctx, "IMS listing done", map[string]any{
		"requests": r.requests, "returned": r.returned, "kept": len(r.images), "stopped_early": r.partial,
	})
}

// imageTime is the creation time of an image, zero when it has none.
func imageTime(r client.Record) time.Time {
	t, _ := r.Time("created_at")
	return t
}

// newer orders by created_at, then by the larger id: the order of
// most_recent and of order_by = "created_at".
func newer(a, b client.Record) bool {
	at, bt := imageTime(a), imageTime(b)
	if !at.Equal(bt) {
		return at.After(bt)
	}
	aID, _ := a.String("id")
	bID, _ := b.String("id")
	return aID > bID
}

// higherVersion orders by the name as a version, then as newer does.
func higherVersion(a, b client.Record) bool {
	an, _ := a.String("name")
	bn, _ := b.String("name")
	if c := compareVersions(an, bn); c != 0 {
		return c > 0
	}
	return newer(a, b)
}

// first returns the "comes first" function of the order images are ranked
// by, or nil when they keep the API's order.
func (s *selection) first() func(a, b client.Record) bool {
	switch {
	case s.orderBy == orderVersion:
		return higherVersion
	case s.orderBy == orderCreatedAt, s.mostRecent:
		return newer
	}
	return nil
}

// run lists and refines. stopAfter > 0 ends the listing once that many images
// are settled (hwc_ims_image passes 2: a second match is already an error).
//
// The listing also stops as soon as the answer cannot change: in API order,
// once enough images are kept; in created_at order over a newest-first
// listing, once a page reaches images older than the last one needed.
func (s *selection) run(ctx context.Context, c *client.Region, stopAfter int) (*result, error) {
	need := stopAfter
	if s.limit > 0 && (need == 0 || s.limit < need) {
		need = s.limit
	}
	if s.mostRecent {
		need = 1
	}
	rank := s.first()
	createdOrder := rank != nil && s.orderBy != orderVersion
	pageSize := client.MaxIMSPageSize
	if s.limit > 0 && s.limit < pageSize && len(s.stages) == 0 && rank == nil {
		pageSize = s.limit
	}

	res := &result{removed: make([]int, len(s.stages))}
	var kept []client.Record
	requests, err := c.ListImages(ctx, s.query, pageSize, func(page []client.Record) bool {
		res.returned += len(page)
	images:
		for _, r := range page {
			for i, st := range s.stages {
				if !st.keep(r) {
					res.removed[i]++
					res.note(st, r)
					continue images
				}
			}
			// most_recent keeps only the best image seen so far.
			if s.mostRecent && len(kept) == 1 {
				if rank(r, kept[0]) {
					kept[0] = r
				}
				continue
			}
			kept = append(kept, r)
		}
		if need == 0 || len(kept) < need || len(page) == 0 {
			return true
		}
		switch {
		case rank == nil:
			res.partial = true
			return false
		case createdOrder && s.newestFirst:
			// In API order the need-th kept image is the need-th newest,
			// ties aside; any later page is strictly older only once the
			// last image of this page is.
			if last, ok := page[len(page)-1].Time("created_at"); ok && last.Before(imageTime(kept[need-1])) {
				res.partial = true
				return false
			}
		}
		return true
	})
	res.requests = requests
	if err != nil {
		return nil, err
	}
	if rank != nil {
		// Sort a copy: pages may be shared with other reads.
		kept = slices.Clone(kept)
		slices.SortStableFunc(kept, func(a, b client.Record) int {
			switch {
			case rank(a, b):
				return -1
			case rank(b, a):
				return 1
			}
			return 0
		})
	}
	if s.mostRecent && len(kept) > 1 {
		kept = kept[:1]
	}
	if s.limit > 0 && len(kept) > s.limit {
		kept = kept[:s.limit]
	}
	res.images = kept
	return res, nil
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
