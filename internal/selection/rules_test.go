package selection

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/client"
)

// Each test here pins one rule of the engine over fakePages, a page source
// of its own: no HTTP, no Terraform. The test's name says the rule.

// fakePages serves images a page at a time as IMS does: pageSize images a
// page, in the order given, until visit has what it needs.
type fakePages struct {
	images   []client.Record
	query    url.Values // the query Run asked for
	pages    int        // the pages handed to visit
	pageSize int
	// beforePage runs before each page is handed to visit (a test's
	// deadline).
	beforePage func(page int)
}

func (f *fakePages) ListImages(_ context.Context, query url.Values, pageSize int, visit func([]client.Record) bool) (client.Listing, error) {
	f.query, f.pageSize = query, pageSize
	for start := 0; ; start += pageSize {
		page := f.images[min(start, len(f.images)):min(start+pageSize, len(f.images))]
		if f.beforePage != nil {
			f.beforePage(f.pages)
		}
		f.pages++
		if !visit(page) || len(page) < pageSize {
			return client.Listing{Requests: f.pages}, nil
		}
	}
}

// img is an image's fields; records turns images into client records.
type img map[string]any

func records(t *testing.T, images ...img) []client.Record {
	t.Helper()
	page, err := json.Marshal(map[string]any{"images": images})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := client.DecodeImages(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

var t0 = time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)

// at is a time t0 plus d, as the API writes it.
func at(d time.Duration) string { return t0.Add(d).Format(time.RFC3339Nano) }

// idsOf are the ids of records, in order.
func idsOf(recs []client.Record) []string {
	var ids []string
	for _, r := range recs {
		id, _ := r.String("id")
		ids = append(ids, id)
	}
	return ids
}

// run runs a selection of p over images with a budget large enough.
func run(t *testing.T, p Params, stopAfter int, images ...img) (*Result, *fakePages) {
	t.Helper()
	pages := &fakePages{images: records(t, images...)}
	res, err := New(p).Run(context.Background(), pages, stopAfter, client.MaxReadCost)
	if err != nil {
		t.Fatal(err)
	}
	return res, pages
}

func TestRule_orders(t *testing.T) {
	t.Parallel()
	images := []img{
		{"id": "a", "name": "CentOS 7.9", "created_at": at(2 * time.Hour), "updated_at": at(time.Hour + 300*time.Millisecond)},
		{"id": "b", "name": "CentOS 7.10", "created_at": at(time.Hour), "updated_at": at(time.Hour + 900*time.Millisecond)},
		{"id": "c", "name": "CentOS 7.10", "created_at": at(3 * time.Hour), "updated_at": at(0)},
		{"id": "d", "name": "CentOS 7.8", "created_at": at(3 * time.Hour), "updated_at": at(time.Hour)},
	}
	for _, c := range []struct {
		rule, orderBy string
		want          []string
	}{
		{"no order_by keeps the API's order", "", []string{"a", "b", "c", "d"}},
		{"created_at: newest first, a tie to the larger id", OrderCreatedAt, []string{"d", "c", "a", "b"}},
		{"updated_at at whole seconds: a tie within the second to the larger id", OrderUpdatedAt, []string{"d", "b", "a", "c"}},
		{"version: highest first, equal names by created_at", OrderVersion, []string{"c", "b", "a", "d"}},
	} {
		t.Run(c.rule, func(t *testing.T) {
			res, _ := run(t, Params{OrderBy: c.orderBy}, 0, images...)
			if got := idsOf(res.Images); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.orderBy, got, c.want)
			}
		})
	}
}

// With a capture group, version order compares the group; equal versions
// fall back to created_at.
func TestRule_versionOfTheCapturedGroup(t *testing.T) {
	t.Parallel()
	res, _ := run(t, Params{OrderBy: OrderVersion, NameRegex: regexp.MustCompile(`^HCE (\d+\.\d+)`)}, 0,
		img{"id": "dated", "name": "HCE 2.0 (20250127)", "created_at": at(0)},
		img{"id": "current", "name": "HCE 2.0", "created_at": at(time.Hour)},
		img{"id": "old", "name": "HCE 1.9 (20260101)", "created_at": at(2 * time.Hour)},
	)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"current", "dated", "old"}) {
		t.Errorf("%v", got)
	}
	if res.DatedOver != "" {
		t.Errorf("the capture form warns of %q", res.DatedOver)
	}
	res, _ = run(t, Params{OrderBy: OrderVersion, MostRecent: true}, 0,
		img{"id": "dated", "name": "HCE 2.0 (20250127)", "created_at": at(0)},
		img{"id": "current", "name": "HCE 2.0", "created_at": at(time.Hour)},
	)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"dated"}) || res.DatedOver != "HCE 2.0" {
		t.Errorf("whole names: %v, dated over %q; want the dated build, over HCE 2.0", got, res.DatedOver)
	}
}

// A tie across a page boundary is settled only by reading on: 520 images
// created in the same second, newest-first, with most_recent, keep the one
// with the largest id, which is on the second page.
func TestRule_tiesAcrossAPageBoundaryAreReadOn(t *testing.T) {
	t.Parallel()
	var images []img
	for i := range 520 {
		images = append(images, img{"id": fmt.Sprintf("id-%04d", i), "name": "n", "created_at": at(0)})
	}
	res, pages := run(t, Params{MostRecent: true}, 0, images...)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"id-0519"}) || pages.pages != 2 {
		t.Errorf("%v after %d pages, want id-0519 after 2", got, pages.pages)
	}
}

// Reading stops as soon as the answer cannot change, and not before.
func TestRule_earlyStop(t *testing.T) {
	t.Parallel()
	var newestFirst []img
	for i := range 1200 {
		newestFirst = append(newestFirst, img{"id": fmt.Sprintf("id-%04d", i), "name": fmt.Sprintf("n %d", i), "created_at": at(-time.Duration(i) * time.Minute)})
	}
	for _, c := range []struct {
		rule        string
		p           Params
		stop, pages int
	}{
		{"hwc_ims_image in API order stops once two are kept: a second match is already an error", Params{}, 2, 1},
		{"most_recent over a newest-first listing stops after the first page", Params{MostRecent: true}, 0, 1},
		{"created_at order with limit stops once a page is older than the last needed", Params{OrderBy: OrderCreatedAt, Limit: 10}, 0, 1},
		{"API order with limit stops once enough are kept", Params{Limit: 10}, 0, 1},
		{"version order reads every page", Params{OrderBy: OrderVersion, MostRecent: true}, 0, 3},
		{"updated_at order reads every page", Params{OrderBy: OrderUpdatedAt, MostRecent: true}, 0, 3},
		{"an ascending sort cannot stop early", Params{MostRecent: true, Query: url.Values{"sort_dir": {"asc"}}}, 0, 3},
	} {
		t.Run(c.rule, func(t *testing.T) {
			res, pages := run(t, c.p, c.stop, newestFirst...)
			if pages.pages != c.pages || res.Partial != (c.pages < 3) {
				t.Errorf("%d pages (partial %v), want %d", pages.pages, res.Partial, c.pages)
			}
		})
	}
}

// limit asks the API for pages of limit images when nothing is refined
// here; most_recent and limit apply after the order.
func TestRule_limitAndMostRecent(t *testing.T) {
	t.Parallel()
	images := []img{{"id": "a", "name": "1", "created_at": at(0)}, {"id": "b", "name": "3", "created_at": at(time.Hour)}, {"id": "c", "name": "2", "created_at": at(2 * time.Hour)}}
	res, pages := run(t, Params{Limit: 2}, 0, images...)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"a", "b"}) || pages.pageSize != 2 {
		t.Errorf("limit 2: %v in pages of %d", got, pages.pageSize)
	}
	res, pages = run(t, Params{Limit: 2, OrderBy: OrderVersion}, 0, images...)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"b", "c"}) || pages.pageSize != client.IMSPageSize {
		t.Errorf("limit 2 by version: %v in pages of %d", got, pages.pageSize)
	}
	res, pages = run(t, Params{Limit: 2, NameRegex: regexp.MustCompile(`[13]`)}, 0, images...)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"a", "b"}) || pages.pageSize != client.IMSPageSize {
		t.Errorf("limit 2 with name_regex, which may drop images of a page: %v in pages of %d", got, pages.pageSize)
	}
	res, _ = run(t, Params{MostRecent: true, OrderBy: OrderVersion}, 0, images...)
	if got := idsOf(res.Images); !slices.Equal(got, []string{"b"}) {
		t.Errorf("most_recent by version: %v", got)
	}
}

// The soak window: its cut-off is sent as created_at=lt when no
// created_after is set, else applied here, as min_age.
func TestRule_minAge(t *testing.T) {
	t.Parallel()
	now := t0.Add(100 * time.Hour)
	images := []img{{"id": "fresh", "name": "a", "created_at": at(99 * time.Hour)}, {"id": "soaked", "name": "b", "created_at": at(10 * time.Hour)}}
	res, pages := run(t, Params{Now: now, MinAge: 72 * time.Hour, MinAgeText: "72h"}, 0, images...)
	if got := pages.query.Get("created_at"); got != "lt:2025-05-02T16:00:00Z" {
		t.Errorf("created_at sent %q, want the cut-off", got)
	}
	if len(res.Images) != 2 {
		t.Errorf("the API applies the pushed bound: the engine kept %v", idsOf(res.Images))
	}
	after := map[string]time.Time{"created_at": t0}
	res, pages = run(t, Params{Now: now, MinAge: 72 * time.Hour, MinAgeText: "72h", After: after}, 0, images...)
	if got := pages.query["created_at"]; !slices.Equal(got, []string{"gt:2025-05-01T12:00:00Z"}) {
		t.Errorf("created_at sent %q, want the after bound alone", got)
	}
	if got := idsOf(res.Images); !slices.Equal(got, []string{"soaked"}) || res.Removed[len(res.Removed)-1] != 1 || res.NewestHeldBack.IsZero() {
		t.Errorf("min_age here: %v, removed %v, newest held back %v", got, res.Removed, res.NewestHeldBack)
	}
}

// The stages run in order, each counting what it removes, for a miss.
func TestRule_stagesAndTheirCounts(t *testing.T) {
	t.Parallel()
	p := Params{
		NameRegex: regexp.MustCompile(`^web`), ExcludeNameRegex: regexp.MustCompile(`-rc`), ExcludeIDs: []string{"bad"},
		FalseFlags: []Flag{{Attr: "support_kvm", Param: "__support_kvm"}},
	}
	res, pages := run(t, p, 0,
		img{"id": "kvm", "name": "web-1", "__support_kvm": "true"},
		img{"id": "other", "name": "db-1"},
		img{"id": "rc", "name": "web-2-rc"},
		img{"id": "bad", "name": "web-3"},
		img{"id": "good", "name": "web-4"},
	)
	var names []string
	for _, st := range New(p).Stages() {
		names = append(names, st.Name)
	}
	if want := []string{"support_kvm = false", "name_regex", "exclude_name_regex", "exclude_ids"}; !slices.Equal(names, want) {
		t.Errorf("stages %v, want %v", names, want)
	}
	if got := idsOf(res.Images); !slices.Equal(got, []string{"good"}) || !slices.Equal(res.Removed, []int{1, 1, 1, 1}) || res.Returned != 5 {
		t.Errorf("%v, removed %v of %d", got, res.Removed, res.Returned)
	}
	if pages.query.Get("status") != DefaultStatus {
		t.Errorf("status sent %q", pages.query.Get("status"))
	}
}

// The query: status=active unless set, the enterprise project unless the
// data source names one, the first tag sent and the others matched here.
func TestRule_query(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rule string
		p    Params
		want string
	}{
		{"an unset status is active", Params{}, "status=active"},
		{"a status is sent as set", Params{Query: url.Values{"status": {"queued"}}}, "status=queued"},
		{"the provider's enterprise project", Params{EnterpriseProject: "all_granted_eps"}, "enterprise_project_id=all_granted_eps&status=active"},
		{"the data source's enterprise project wins", Params{EnterpriseProject: "all_granted_eps", Query: url.Values{"enterprise_project_id": {"0"}}},
			"enterprise_project_id=0&status=active"},
		{"the first tag is sent", Params{Tags: []string{"b=2", "a=1"}}, "status=active&tag=a%3D1"},
	} {
		if got := New(c.p).QueryText(); got != c.want {
			t.Errorf("%s: %q, want %q", c.rule, got, c.want)
		}
	}
	res, _ := run(t, Params{Tags: []string{"a=1", "b=2"}}, 0, img{"id": "both", "tags": []string{"a=1", "b=2"}}, img{"id": "one", "tags": []string{"a=1"}})
	if got := idsOf(res.Images); !slices.Equal(got, []string{"both"}) {
		t.Errorf("tags beyond the one sent: %v", got)
	}
}

// A listing that would keep more than its budget fails, saying how much.
func TestRule_budget(t *testing.T) {
	t.Parallel()
	pages := &fakePages{images: records(t, img{"id": "a"}, img{"id": "b"}, img{"id": "c"})}
	_, err := New(Params{}).Run(context.Background(), pages, 0, 2*pages.images[0].Cost())
	var tooMuch *client.KeptTooMuchError
	if !errors.As(err, &tooMuch) || tooMuch.Images != 3 {
		t.Fatalf("Run = %v, want a KeptTooMuchError for 3 images", err)
	}
}

// The read's deadline stops the refinements too.
func TestRule_deadline(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pages := &fakePages{images: records(t, img{"id": "a"}), beforePage: func(int) { cancel() }}
	_, err := New(Params{}).Run(ctx, pages, 0, client.MaxReadCost)
	var late *deadlineError
	if !errors.As(err, &late) {
		t.Fatalf("Run = %v, want the deadline error of the refinements", err)
	}
}

// The budget counts what the listing remembers of every image it returned,
// not only the images kept: here every image is dropped, and the listing
// still costs its digests.
func TestRule_budgetCountsWhatTheListingRemembers(t *testing.T) {
	t.Parallel()
	var images []img
	for i := range 10 {
		images = append(images, img{"id": fmt.Sprintf("i-%d", i), "name": "dropped"})
	}
	p := Params{NameRegex: regexp.MustCompile(`^kept`)}
	for budget, fails := range map[int]bool{10*client.ListedCost - 1: true, 10 * client.ListedCost: false} {
		_, err := New(p).Run(context.Background(), &fakePages{images: records(t, images...)}, 0, budget)
		var tooMuch *client.KeptTooMuchError
		if errors.As(err, &tooMuch) != fails {
			t.Errorf("budget %d: %v, want a refusal %v", budget, err, fails)
		}
	}
}

// most_recent with order_by = "updated_at" keeps, of images updated in the
// same second, the larger id, and names the one the official provider's
// sort.Sort would keep when that is another; with OfficialTies it keeps that
// one, whole, and names nothing. Twenty images (sort.Sort is an insertion
// sort, stable, only up to twelve), most of them in the last second.
func TestRule_officialTies(t *testing.T) {
	t.Parallel()
	var images []img
	for i := range 20 {
		second := time.Duration(min(i, 5)) * time.Second // images 5 to 19 tie
		images = append(images, img{"id": fmt.Sprintf("i-%02d", (i*7)%20), "name": fmt.Sprintf("n-%02d", i),
			"updated_at": at(second + time.Duration(i)*time.Millisecond)})
	}
	var official officialOrder
	for _, r := range records(t, images...) {
		at, _ := r.Time("updated_at")
		id, _ := r.String("id")
		official = append(official, officialKey{at.Unix(), id})
	}
	sort.Sort(official)
	want := official[len(official)-1].id
	p := Params{OrderBy: OrderUpdatedAt, MostRecent: true}
	res, _ := run(t, p, 0, images...)
	if got := idsOf(res.Images); len(got) != 1 || got[0] == want || res.OfficialPick != want {
		t.Fatalf("larger id: kept %v, official pick %q; the official provider keeps %s (the test needs it to differ)", got, res.OfficialPick, want)
	}
	p.OfficialTies = true
	res, _ = run(t, p, 0, images...)
	if got := idsOf(res.Images); len(got) != 1 || got[0] != want || res.OfficialPick != "" {
		t.Errorf("official ties: kept %v, official pick %q; want %s and no pick named", got, res.OfficialPick, want)
	}
	if name, _ := res.Images[0].String("name"); name == "" {
		t.Error("the official pick is kept without its fields")
	}
}
