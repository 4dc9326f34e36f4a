// Package selection is the IMS selection engine: from what a configuration
// asks (Params), the query sent to IMS and the refinements applied to what it
// returns (name_regex, exclusions, the soak window, ordering, most_recent,
// limit), and the listing that stops as soon as the answer cannot change.
// It is plain Go: the data sources read their configuration into Params and
// turn a Result into state and diagnostics.
package selection

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// APITimeFormat is how IMS takes times in created_at and updated_at.
const APITimeFormat = "2006-01-02T15:04:05Z"

// The orders of order_by.
const (
	OrderCreatedAt = "created_at"
	OrderUpdatedAt = "updated_at"
	OrderVersion   = "version"
)

// Stage is one client-side refinement that drops images.
type Stage struct {
	// Name is the refinement as a miss names it: an attribute, or an
	// attribute and its value ("support_kvm = false").
	Name string
	keep func(client.Record) bool
	// MinAge marks the min_age stage, so a miss can say how old the newest
	// image it held back is.
	MinAge bool
	// CaseFold, on name_regex, is the same pattern without regard to letter
	// case, so a miss can say how many images it would have kept.
	CaseFold *regexp.Regexp
}

// Selection is what a configuration asks of IMS: the query sent and the
// refinements applied to what comes back.
type Selection struct {
	query   url.Values
	stages  []Stage
	orderBy string
	// versionOf is the text order_by = "version" compares of a name: the
	// name, or the first group name_regex captures in it.
	versionOf  func(name string) string
	wholeNames bool // versionOf is the whole name: name_regex captures nothing
	mostRecent bool
	limit      int
	// officialTies: see Params.OfficialTies.
	officialTies bool
	// newestFirst is true when the API lists by created_at, newest first, so
	// a created_at order can stop reading once a page reaches older images.
	newestFirst bool

	// Now is the time of the read.
	Now time.Time

	// For an explained miss.
	Name         string        // the name filter
	MinAge       time.Duration // the soak window, when set
	Cutoff       time.Time     // images created at or after it are too new
	MinAgeText   string        // min_age as configured
	MinAgePushed bool          // the min_age cut-off is sent to the API as created_at=lt
	minAgeBound  bool          // the min_age cut-off is the created_at before bound
	userBefore   string        // the created_at=lt value created_before alone would send
}

// Stages are the refinements, in the order they run.
func (s *Selection) Stages() []Stage { return s.stages }

// Params is what a configuration asks, read once from it by the data
// source, with the values validation has checked.
type Params struct {
	// Query holds the filters sent as they are: query parameter → value
	// (an unset status is sent as DefaultStatus).
	Query url.Values
	// FalseFlags are the support flags set to false. The API takes only
	// true, so each keeps, here, the images whose flag is not true.
	FalseFlags []Flag
	// After and Before bound created_at and updated_at, by query
	// parameter: after bounds are sent; a before bound is sent when its
	// parameter carries no after bound, and applied here otherwise (the
	// API takes one condition a parameter).
	After, Before map[string]time.Time
	// Tags must all be on an image: the first (in order) is sent as tag
	// unless Query has one, the others are matched here.
	Tags []string
	// NameRegex keeps, and ExcludeNameRegex drops, the images whose name
	// matches; ExcludeIDs drops images by id.
	NameRegex, ExcludeNameRegex *regexp.Regexp
	ExcludeIDs                  []string
	// MinAge holds back images created less than MinAge before Now (the
	// soak window); MinAgeText is it as configured, for messages.
	MinAge     time.Duration
	MinAgeText string
	// OrderBy is OrderCreatedAt, OrderUpdatedAt, OrderVersion or "" (the
	// API's order); MostRecent keeps the first image; Limit, when above 0,
	// the first Limit images.
	OrderBy    string
	MostRecent bool
	Limit      int
	// OfficialTies makes most_recent with OrderUpdatedAt keep, of images
	// updated in the same second, the one the official provider's
	// most_recent keeps (tie_break = "official") instead of the larger id.
	OfficialTies bool
	// Now is the time of the read; EnterpriseProject is sent when Query
	// has no enterprise_project_id ("" for none).
	Now               time.Time
	EnterpriseProject string
}

// Flag is a support flag by its query parameter, and the attribute that
// set it, for messages.
type Flag struct{ Attr, Param string }

// New builds the selection Params ask for. The stages run in the order of
// the refinements: support flags set to false, the updated_at bound applied
// here, tags beyond the one sent, name_regex, exclude_name_regex,
// exclude_ids, then the created_at bound applied here (min_age among them).
func New(p Params) *Selection {
	s := &Selection{query: url.Values{}, Now: p.Now, MinAge: p.MinAge, MinAgeText: p.MinAgeText}
	for k, v := range p.Query {
		s.query[k] = slices.Clone(v)
	}
	for _, f := range p.FalseFlags {
		s.stages = append(s.stages, Stage{Name: f.Attr + " = false", keep: func(r client.Record) bool {
			b, ok := r.Bool(f.Param)
			return !ok || !b
		}})
	}
	before := map[string]time.Time{}
	for _, param := range slices.Sorted(maps.Keys(p.After)) {
		s.query.Add(param, "gt:"+p.After[param].UTC().Truncate(time.Second).Format(APITimeFormat))
	}
	for param, at := range p.Before {
		before[param] = at.UTC().Truncate(time.Second)
	}
	if !s.query.Has("status") {
		s.query.Set("status", DefaultStatus)
	}
	s.Name = s.query.Get("name")
	if !s.query.Has("enterprise_project_id") && p.EnterpriseProject != "" {
		s.query.Set("enterprise_project_id", p.EnterpriseProject)
	}
	s.addTags(p.Tags)
	s.addMinAge(before)
	beforeStages := s.applyBefore(before)
	s.addExclusions(p)
	s.stages = append(s.stages, beforeStages...)
	s.orderBy, s.mostRecent, s.limit = p.OrderBy, p.MostRecent, p.Limit
	s.officialTies = p.OfficialTies && p.MostRecent && p.OrderBy == OrderUpdatedAt
	s.versionOf = VersionOf(p.NameRegex)
	s.wholeNames = p.NameRegex == nil || p.NameRegex.NumSubexp() == 0
	sortKey, sortDir := s.query.Get("sort_key"), s.query.Get("sort_dir")
	s.newestFirst = (sortKey == "" || sortKey == "created_at") && (sortDir == "" || sortDir == "desc")
	return s
}

// The values of tie_break.
const (
	TieLargerID = "larger_id"
	TieOfficial = "official"
)

// DefaultStatus is the status sent when none is configured: only images
// ready for use are selected.
const DefaultStatus = "active"

// addTags sends the first of tags (sorted) as the tag filter when tag is
// unset, and matches the others here: every one must be on the image.
func (s *Selection) addTags(tags []string) {
	tags = slices.Sorted(slices.Values(tags))
	if len(tags) > 0 && !s.query.Has("tag") {
		s.query.Set("tag", tags[0])
		tags = tags[1:]
	}
	if len(tags) == 0 {
		return
	}
	s.stages = append(s.stages, Stage{Name: "tags", keep: func(r client.Record) bool {
		have, _ := r.Strings("tags")
		for _, t := range tags {
			if !slices.Contains(have, t) {
				return false
			}
		}
		return true
	}})
}

// addMinAge makes the soak window tighten the created_at before bound.
func (s *Selection) addMinAge(before map[string]time.Time) {
	if s.MinAgeText == "" {
		return
	}
	s.Cutoff = s.Now.Add(-s.MinAge).UTC().Truncate(time.Second)
	if b, ok := before["created_at"]; ok {
		s.userBefore = "lt:" + b.Format(APITimeFormat)
	}
	if b, ok := before["created_at"]; !ok || s.Cutoff.Before(b) {
		before["created_at"] = s.Cutoff
		s.minAgeBound = true
	}
}

// applyBefore sends each before bound whose pair has no after bound, and
// makes the others stages: updated_at with the API filters, created_at
// (min_age among them) after the exclusions, as the refinement order says.
func (s *Selection) applyBefore(before map[string]time.Time) []Stage {
	var createdStages []Stage
	for _, param := range []string{"updated_at", "created_at"} {
		b, ok := before[param]
		if !ok {
			continue
		}
		isMinAge := param == "created_at" && s.minAgeBound
		if !s.query.Has(param) {
			s.query.Set(param, "lt:"+b.Format(APITimeFormat))
			s.MinAgePushed = s.MinAgePushed || isMinAge
			continue
		}
		name := strings.TrimSuffix(param, "_at") + "_before"
		if isMinAge {
			name = "min_age"
		}
		st := Stage{Name: name, MinAge: isMinAge, keep: func(r client.Record) bool {
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

// addExclusions adds name_regex, exclude_name_regex and exclude_ids.
func (s *Selection) addExclusions(p Params) {
	if include := p.NameRegex; include != nil {
		st := Stage{Name: "name_regex", keep: func(r client.Record) bool {
			name, _ := r.String("name")
			return include.MatchString(name)
		}}
		if fold, err := regexp.Compile("(?i)" + include.String()); err == nil && fold.String() != include.String() {
			st.CaseFold = fold
		}
		s.stages = append(s.stages, st)
	}
	if exclude := p.ExcludeNameRegex; exclude != nil {
		s.stages = append(s.stages, Stage{Name: "exclude_name_regex", keep: func(r client.Record) bool {
			name, _ := r.String("name")
			return !exclude.MatchString(name)
		}})
	}
	if p.ExcludeIDs == nil {
		return
	}
	excluded := make(map[string]bool, len(p.ExcludeIDs))
	for _, id := range p.ExcludeIDs {
		excluded[id] = true
	}
	s.stages = append(s.stages, Stage{Name: "exclude_ids", keep: func(r client.Record) bool {
		id, _ := r.String("id")
		return !excluded[id]
	}})
}

// QueryText is the effective query, canonical, without marker and limit.
func (s *Selection) QueryText() string { return client.CanonicalQuery(s.query) }

// RelaxedQuery is the query a miss is explained with: without the name
// filter and without the min_age bound (created_before's own bound stays).
// It is nil when the miss needs no such request.
func (s *Selection) RelaxedQuery() url.Values {
	if s.Name == "" && !s.MinAgePushed {
		return nil
	}
	q := url.Values{}
	for k, v := range s.query {
		q[k] = slices.Clone(v)
	}
	q.Del("name")
	if s.MinAgePushed {
		q.Del("created_at")
		if s.userBefore != "" {
			q.Set("created_at", s.userBefore)
		}
	}
	return q
}

// Result is what a listing produced, with the accounting a miss explains.
type Result struct {
	Images   []client.Record // the images selected, in order
	Returned int             // images the API returned
	Removed  []int           // per stage, images it dropped
	Requests int
	// PageCap is, when IMS answered fewer images a page than the PageAsked
	// and yet had more, the number it answered (see client.Listing).
	PageCap, PageAsked int
	Partial            bool // stopped before the end of the listing
	// NewestHeldBack is the creation time of the newest image the min_age
	// stage removed, when it removed any.
	NewestHeldBack time.Time
	// CaseFoldKept counts images name_regex removed that it would have kept
	// without regard to letter case.
	CaseFoldKept int
	// official holds, for most_recent with order_by = "updated_at", every
	// image the stages kept, in the API's order, as the official provider's
	// most_recent compares them; OfficialPick is the id it would have kept
	// when that is not the image selected here. latest holds, with
	// OfficialTies, the images updated in the latest second seen: the
	// official pick is one of them.
	official     officialOrder
	latest       []client.Record
	OfficialPick string
	// DatedOver is, when order_by = "version" compares whole names and the
	// first image selected is a dated build ("… 64bit (20250127)"), the
	// name it outranked only by its date's digits ("… 64bit").
	DatedOver string
	undated   map[string]bool // the names without a date suffix, when DatedOver is looked for
}

// dateSuffix is a trailing run of 8 digits, such as the build date of
// "Huawei Cloud EulerOS 2.0 64bit (20250127)".
var dateSuffix = regexp.MustCompile(`\s*[(\[]?\d{8}[)\]]?\s*$`)

// noteUndated remembers a name without a date suffix, when dated builds
// are looked for.
func (r *Result) noteUndated(img client.Record) {
	if r.undated == nil {
		return
	}
	if name, _ := img.String("name"); !dateSuffix.MatchString(name) {
		r.undated[name] = true
	}
}

// datedOver sets DatedOver when the first image is a dated build of a name
// that was listed too.
func (r *Result) datedOver() {
	if r.undated == nil || len(r.Images) == 0 {
		return
	}
	name, _ := r.Images[0].String("name")
	if base := dateSuffix.ReplaceAllString(name, ""); base != name && r.undated[base] {
		r.DatedOver = base
	}
}

// keepLatest remembers, for tie_break = "official", the images updated in
// the latest second seen so far (what they cost counts against the budget).
func (l *listing) keepLatest(second int64, r client.Record) {
	res := l.res
	switch {
	case len(res.latest) > 0 && second < l.latestSecond:
		return
	case len(res.latest) > 0 && second > l.latestSecond:
		for _, old := range res.latest {
			l.cost -= old.Cost()
		}
		res.latest = res.latest[:0]
	}
	l.latestSecond = second
	res.latest = append(res.latest, r)
	l.cost += r.Cost()
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
func (r *Result) officialChoice() {
	if len(r.official) < 2 || len(r.Images) == 0 {
		return
	}
	sort.Sort(r.official)
	pick := r.official[len(r.official)-1].id
	if id, _ := r.Images[0].String("id"); id != pick {
		r.OfficialPick = pick
	}
	for _, img := range r.latest {
		if id, _ := img.String("id"); id == pick && r.OfficialPick != "" {
			r.Images[0], r.OfficialPick = img, ""
		}
	}
	r.official, r.latest = nil, nil
}

// note keeps what a miss explains of an image a stage removed.
func (r *Result) note(st Stage, img client.Record) {
	if at := ImageTime(img); st.MinAge && at.After(r.NewestHeldBack) {
		r.NewestHeldBack = at
	}
	if st.CaseFold != nil {
		if name, _ := img.String("name"); st.CaseFold.MatchString(name) {
			r.CaseFoldKept++
		}
	}
}

// ImageTime is the creation time of an image, zero when it has none.
func ImageTime(r client.Record) time.Time {
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

// VersionOf is what order_by = "version" compares of a name under
// name_regex re: the text of re's first capture group, "" when it takes no
// part in the match; without a group (or without re), the whole name. So
// "^Huawei Cloud EulerOS (\d+\.\d+) 64bit" ranks builds by their version
// alone, and a dated build ("… 64bit (20250127)") does not outrank the
// current one by its date's digits.
func VersionOf(re *regexp.Regexp) func(name string) string {
	if re == nil || re.NumSubexp() == 0 {
		return func(name string) string { return name }
	}
	return func(name string) string {
		m := re.FindStringSubmatchIndex(name)
		if m == nil || m[2] < 0 {
			return ""
		}
		return name[m[2]:m[3]]
	}
}

// versionRun is the first version-like run of a name: digits, with dotted
// parts.
var versionRun = regexp.MustCompile(`\d+(\.\d+)*`)

// CaptureHint is a name_regex that matches name's family with its version
// captured, for order_by = "version": "Huawei Cloud EulerOS 2.0 64bit"
// gives "^Huawei Cloud EulerOS (\d+\.\d+) 64bit". A name without digits
// gives "".
func CaptureHint(name string) string {
	loc := versionRun.FindStringIndex(name)
	if loc == nil {
		return ""
	}
	group := `(\d+` + strings.Repeat(`\.\d+`, strings.Count(name[loc[0]:loc[1]], ".")) + `)`
	return "^" + regexp.QuoteMeta(name[:loc[0]]) + group + regexp.QuoteMeta(dateSuffix.ReplaceAllString(name[loc[1]:], ""))
}

// higherVersion orders by the version of the name (versionOf, computed
// once a name), then as newer does.
func higherVersion(versionOf func(string) string) func(a, b client.Record) bool {
	versions := map[string]string{}
	version := func(r client.Record) string {
		name, _ := r.String("name")
		v, ok := versions[name]
		if !ok {
			v = versionOf(name)
			versions[name] = v
		}
		return v
	}
	return func(a, b client.Record) bool {
		if c := CompareVersions(version(a), version(b)); c != 0 {
			return c > 0
		}
		return newer(a, b)
	}
}

// first returns the "comes first" function of the order images are ranked
// by, or nil when they keep the API's order.
func (s *Selection) first() func(a, b client.Record) bool {
	switch {
	case s.orderBy == OrderVersion:
		return higherVersion(s.versionOf)
	case s.orderBy == OrderUpdatedAt:
		return updatedLater
	case s.orderBy == OrderCreatedAt, s.mostRecent:
		return newer
	}
	return nil
}

// Pages lists IMS images a page at a time, as *client.Region does (see its
// ListImages): the one thing Run needs of a region, so that the engine can
// be tested over pages of its own.
type Pages interface {
	ListImages(ctx context.Context, query url.Values, pageSize int, visit func([]client.Record) bool) (client.Listing, error)
}

// Run lists and refines. stopAfter > 0 ends the listing once that many images
// are settled (hwc_ims_image passes 2: a second match is already an error).
// budget bounds what the images kept may cost once they are state (see
// client.Record.Cost): a listing that would keep more fails.
//
// The listing also stops as soon as the answer cannot change: in API order,
// once enough images are kept; in created_at order over a newest-first
// listing, once a page reaches images older than the last one needed.
func (s *Selection) Run(ctx context.Context, pages Pages, stopAfter, budget int) (*Result, error) {
	l := s.newListing(ctx, stopAfter, budget)
	listed, err := pages.ListImages(ctx, s.query, l.pageSize, l.visit)
	l.res.Requests, l.res.PageCap, l.res.PageAsked = listed.Requests, listed.PageCap, l.pageSize
	switch {
	case err != nil:
	case l.stopped:
		err = &deadlineError{refined: l.res.Returned}
	case l.cost > l.budget:
		err = &client.KeptTooMuchError{What: "IMS images", Images: len(l.kept), Cost: l.cost, Budget: l.budget}
	}
	if err != nil {
		return nil, err
	}
	l.res.Images = s.finish(l.kept, l.rank)
	l.res.officialChoice()
	l.res.datedOver()
	return l.res, nil
}

// listing is the state of one Run: what it needs, and what it kept.
type listing struct {
	s        *Selection
	ctx      context.Context // the read's: refining stops when it ends
	stopped  bool            // the read's context ended while refining
	cost     int             // what kept will cost as state (see client.Record.Cost)
	budget   int             // what it may cost
	need     int             // images that settle the answer; 0 for all
	rank     func(a, b client.Record) bool
	pageSize int
	res      *Result
	kept     []client.Record
	// latestSecond is the update second of res.latest.
	latestSecond int64
}

func (s *Selection) newListing(ctx context.Context, stopAfter, budget int) *listing {
	l := &listing{s: s, ctx: ctx, need: stopAfter, rank: s.first(), pageSize: client.IMSPageSize, budget: budget,
		res: &Result{Removed: make([]int, len(s.stages))}}
	if s.limit > 0 && (l.need == 0 || s.limit < l.need) {
		l.need = s.limit
	}
	if s.mostRecent {
		l.need = 1
	}
	if s.limit > 0 && s.limit < l.pageSize && len(s.stages) == 0 && l.rank == nil {
		l.pageSize = s.limit
	}
	if s.orderBy == OrderVersion && s.wholeNames {
		l.res.undated = map[string]bool{}
	}
	return l
}

// visit refines one page and reports whether the next one is needed. It
// stops when the read's context ends: one image may be slow to refine (a
// long name_regex over a long name), a page of them slower than a deadline.
func (l *listing) visit(page []client.Record) bool {
	l.res.Returned += len(page)
	l.cost += len(page) * client.ListedCost // what the listing remembers of them
	for _, r := range page {
		if l.ctx.Err() != nil {
			l.stopped = true
			return false
		}
		if l.keep(r) {
			l.res.noteUndated(r)
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
		l.res.Partial = true
		return false
	}
	return true
}

// keep runs the stages on an image, counting what each removes.
func (l *listing) keep(r client.Record) bool {
	for i, st := range l.s.stages {
		if !st.keep(r) {
			l.res.Removed[i]++
			l.res.note(st, r)
			return false
		}
	}
	return true
}

// add keeps an image; most_recent keeps only the best one seen so far.
func (l *listing) add(r client.Record) {
	if l.s.mostRecent && l.s.orderBy == OrderUpdatedAt {
		at, _ := r.Time("updated_at")
		id, _ := r.String("id")
		l.res.official = append(l.res.official, officialKey{at.Unix(), id})
		if l.s.officialTies {
			l.keepLatest(at.Unix(), r)
		}
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
	case (l.s.orderBy == "" || l.s.orderBy == OrderCreatedAt) && l.s.newestFirst:
		last, ok := page[len(page)-1].Time("created_at")
		return ok && last.Before(ImageTime(l.kept[l.need-1]))
	}
	return false
}

// finish orders what was kept and applies limit (most_recent kept one
// image as the listing went: see add).
func (s *Selection) finish(kept []client.Record, rank func(a, b client.Record) bool) []client.Record {
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

// CompareVersions orders image names as versions, for order_by = "version".
// Each name is split into maximal runs of ASCII digits and of other bytes;
// runs are compared in turn: two digit runs by numeric value and, at equal
// value, the shorter Run is the lower ("1" below "01"); any other pair of
// runs byte-wise. A name that runs out first is the lower. So "CentOS 7.10"
// is above "CentOS 7.9", and distinct names never compare equal.
func CompareVersions(a, b string) int {
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

// nextRun returns the maximal Run of digits or of non-digits s starts with.
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

// VersionGap is how far apart two names are as versions: at the first pair
// of runs (see CompareVersions) that differ, the difference of two numbers,
// else infinity. So among names equally near, webapp-2.4.0 is nearer to
// webapp-2.4.1 than webapp-2.4.9 is.
func VersionGap(a, b string) float64 {
	for a != "" && b != "" {
		ra, rb := nextRun(a), nextRun(b)
		if ra != rb {
			if isDigit(ra[0]) && isDigit(rb[0]) {
				x, errA := strconv.ParseFloat(ra, 64)
				y, errB := strconv.ParseFloat(rb, 64)
				if errA == nil && errB == nil {
					return math.Abs(x - y)
				}
			}
			return math.Inf(1)
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return math.Inf(1)
}
