package provider

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

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

const (
	orderCreatedAt = "created_at"
	orderUpdatedAt = "updated_at"
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
// validation has already checked. now is the time of the read;
// enterpriseProject is the provider's, sent when the configuration sets none. The stages
// run in the order of the refinements: API filters applied here (support
// flags set to false, the second bound of a time pair, tags beyond the one
// sent), name_regex, exclude_name_regex, exclude_ids, min_age.
func newSelection(cfg map[string]tftypes.Value, now time.Time, enterpriseProject string) (*selection, error) {
	s := &selection{query: url.Values{}, now: now}
	c := configReader(cfg)
	before, err := s.readFilters(c)
	if err != nil {
		return nil, err
	}
	if !s.query.Has("enterprise_project_id") && enterpriseProject != "" {
		s.query.Set("enterprise_project_id", enterpriseProject)
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
	// pageCap is, when IMS answered fewer images a page than the pageAsked
	// and yet had more, the number it answered (see client.Listing).
	pageCap, pageAsked int
	partial            bool // stopped before the end of the listing
	// newestHeldBack is the creation time of the newest image the min_age
	// stage removed, when it removed any.
	newestHeldBack time.Time
	// caseFoldKept counts images name_regex removed that it would have kept
	// without regard to letter case.
	caseFoldKept int
	// official holds, for most_recent with order_by = "updated_at", every
	// image the stages kept, in the API's order, as the official provider's
	// most_recent compares them; officialPick is the id it would have kept
	// when that is not the image selected here.
	official     officialOrder
	officialPick string
}

// officialKey is an image as the official provider's most_recent sees it:
// its update time in whole seconds.
type officialKey struct {
	updated int64
	id      string
}

// officialOrder sorts as the official provider's most_recent does (with
// sort.Sort, then it keeps the last image).
type officialOrder []officialKey

func (o officialOrder) Len() int           { return len(o) }
func (o officialOrder) Swap(i, j int)      { o[i], o[j] = o[j], o[i] }
func (o officialOrder) Less(i, j int) bool { return o[i].updated < o[j].updated }

// officialChoice sets officialPick when the official provider's
// most_recent would have kept another image than selected: two images
// updated in the same second, which its sort.Sort and this order break
// differently.
func (r *result) officialChoice() {
	if len(r.official) < 2 || len(r.images) == 0 {
		return
	}
	sort.Sort(r.official)
	pick := r.official[len(r.official)-1].id
	if id, _ := r.images[0].String("id"); id != pick {
		r.officialPick = pick
	}
	r.official = nil
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
func newer(a, b client.Record) bool { return laterBy("created_at", 0, a, b) }

// updatedLater orders by updated_at, then by the larger id: the order of
// order_by = "updated_at", the official provider's most_recent (which
// compares whole seconds and breaks ties at random).
func updatedLater(a, b client.Record) bool { return laterBy("updated_at", time.Second, a, b) }

// laterBy orders by a time field cut to a multiple of unit (when set),
// newest first (an image without it last), then by the larger id.
func laterBy(field string, unit time.Duration, a, b client.Record) bool {
	at, _ := a.Time(field)
	bt, _ := b.Time(field)
	at, bt = at.Truncate(unit), bt.Truncate(unit)
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
	case s.orderBy == orderUpdatedAt:
		return updatedLater
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
	l := s.newListing(ctx, stopAfter)
	listed, err := c.ListImages(ctx, s.query, l.pageSize, l.visit)
	l.res.requests, l.res.pageCap, l.res.pageAsked = listed.Requests, listed.PageCap, l.pageSize
	switch {
	case err != nil:
	case l.stopped:
		err = &deadlineError{refined: l.res.returned}
	case l.cost > l.budget:
		err = &client.KeptTooMuchError{What: "IMS images", Images: len(l.kept), Cost: l.cost, Budget: l.budget}
	}
	if err != nil {
		return nil, err
	}
	l.res.images = s.finish(l.kept, l.rank)
	l.res.officialChoice()
	return l.res, nil
}

// listing is the state of one run: what it needs, and what it kept.
type listing struct {
	s        *selection
	ctx      context.Context // the read's: refining stops when it ends
	stopped  bool            // the read's context ended while refining
	cost     int             // what kept will cost as state (see client.Record.Cost)
	budget   int             // what it may cost (see client.ReadBudget)
	need     int             // images that settle the answer; 0 for all
	rank     func(a, b client.Record) bool
	pageSize int
	res      *result
	kept     []client.Record
}

func (s *selection) newListing(ctx context.Context, stopAfter int) *listing {
	l := &listing{s: s, ctx: ctx, need: stopAfter, rank: s.first(), pageSize: client.IMSPageSize, budget: client.ReadBudget(ctx),
		res: &result{removed: make([]int, len(s.stages))}}
	if s.limit > 0 && (l.need == 0 || s.limit < l.need) {
		l.need = s.limit
	}
	if s.mostRecent {
		l.need = 1
	}
	if s.limit > 0 && s.limit < l.pageSize && len(s.stages) == 0 && l.rank == nil {
		l.pageSize = s.limit
	}
	return l
}

// visit refines one page and reports whether the next one is needed. It
// stops when the read's context ends: one image may be slow to refine (a
// long name_regex over a long name), a page of them slower than a deadline.
func (l *listing) visit(page []client.Record) bool {
	l.res.returned += len(page)
	for _, r := range page {
		if l.ctx.Err() != nil {
			l.stopped = true
			return false
		}
		if l.keep(r) {
			l.add(r)
		}
	}
	if l.cost > l.budget {
		return false
	}
	if l.need == 0 || len(l.kept) < l.need || len(page) == 0 {
		return true
	}
	if l.settled(page) {
		l.res.partial = true
		return false
	}
	return true
}

// keep runs the stages on an image, counting what each removes.
func (l *listing) keep(r client.Record) bool {
	for i, st := range l.s.stages {
		if !st.keep(r) {
			l.res.removed[i]++
			l.res.note(st, r)
			return false
		}
	}
	return true
}

// add keeps an image; most_recent keeps only the best one seen so far.
func (l *listing) add(r client.Record) {
	if l.s.mostRecent && l.s.orderBy == orderUpdatedAt {
		at, _ := r.Time("updated_at")
		id, _ := r.String("id")
		l.res.official = append(l.res.official, officialKey{at.Unix(), id})
	}
	if l.s.mostRecent && len(l.kept) == 1 {
		if l.rank(r, l.kept[0]) {
			l.cost += r.Cost() - l.kept[0].Cost()
			l.kept[0] = r
		}
		return
	}
	l.kept = append(l.kept, r)
	l.cost += r.Cost()
}

// settled reports whether no later page can change the answer: in API
// order, once enough images are kept; in created_at order over a
// newest-first listing, once the page reaches images older than the last
// one needed (the need-th kept image is the need-th newest, ties aside).
func (l *listing) settled(page []client.Record) bool {
	switch {
	case l.rank == nil:
		return true
	case (l.s.orderBy == "" || l.s.orderBy == orderCreatedAt) && l.s.newestFirst:
		last, ok := page[len(page)-1].Time("created_at")
		return ok && last.Before(imageTime(l.kept[l.need-1]))
	}
	return false
}

// finish orders what was kept and applies most_recent and limit.
func (s *selection) finish(kept []client.Record, rank func(a, b client.Record) bool) []client.Record {
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
	return kept
}

// deadlineError is a read whose deadline passed while the provider refined
// what the API returned.
type deadlineError struct{ refined int }

func (e *deadlineError) Error() string {
	return fmt.Sprintf("The read ran past its deadline (the data source's timeouts block, read = \"10m\" by default) while the provider "+
		"applied name_regex and the other refinements to the %d images the API returned. Narrow the query sent to the API "+
		"(name, image_type, platform, …), shorten the regular expressions, or raise timeouts.read.", e.refined)
}

// compareVersions orders image names as versions, for order_by = "version".
// Each name is split into maximal runs of ASCII digits and of other bytes;
// runs are compared in turn: two digit runs by numeric value and, at equal
// value, the shorter run is the lower ("1" below "01"); any other pair of
// runs byte-wise. A name that runs out first is the lower. So "CentOS 7.10"
// is above "CentOS 7.9", and distinct names never compare equal.
func compareVersions(a, b string) int {
	for a != "" && b != "" {
		ra, rb := nextRun(a), nextRun(b)
		var c int
		if isDigit(ra[0]) && isDigit(rb[0]) {
			c = compareDigitRuns(ra, rb)
		} else {
			c = strings.Compare(ra, rb)
		}
		if c != 0 {
			return c
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nextRun returns the maximal run of digits or of non-digits s starts with.
func nextRun(s string) string {
	digit := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == digit {
		i++
	}
	return s[:i]
}

// compareDigitRuns compares by value, of any length, then by length.
func compareDigitRuns(a, b string) int {
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	switch {
	case len(ta) != len(tb):
		return cmp.Compare(len(ta), len(tb))
	case ta != tb:
		return strings.Compare(ta, tb)
	}
	return cmp.Compare(len(a), len(b))
}
