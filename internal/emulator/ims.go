package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// imsListPath is the IMS listing of the API document "Querying Images".
const imsListPath = "/v1/cloudimages/fuzzy"

// imsError answers in IMS's own error shape, {"error":{"code","message"}}.
func imsError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// exactParams filter on the image field of the same name, compared exactly.
var exactParams = []string{
	"__imagetype", "__system__cmkid", "visibility", "owner", "id", "status", "name",
	"container_format", "disk_format", "__os_bit", "__platform", "__os_type",
	"__support_xen_gpu_type", "__support_kvm_gpu_type", "virtual_env_type",
}

// boolParams are the boolean parameters that filter on the image field of
// the same name: all but __whole_image, which no response shows.
var boolParams = func() []string {
	var out []string
	for _, r := range apidoc.IMSQuery {
		if r.Kind == apidoc.BoolText && r.Name != "__whole_image" {
			out = append(out, r.Name)
		}
	}
	return out
}()

// imsQuery is a parsed, validated listing request.
type imsQuery struct {
	q       url.Values
	limit   int
	marker  string
	sortKey string
	desc    bool
	times   []timeCond
	checks  []func(Image) bool // the filters given, see compile
}

type timeCond struct {
	field string
	op    string
	at    time.Time
}

func parseIMSQuery(q url.Values) (*imsQuery, string) {
	if msg := checkFilters(q); msg != "" {
		return nil, msg
	}
	out := &imsQuery{q: q, limit: apidoc.DefaultLimit, marker: q.Get("marker"), sortKey: "created_at", desc: true}
	if q.Has("limit") {
		out.limit, _ = strconv.Atoi(q.Get("limit")) // checked above
	}
	if q.Has("sort_key") {
		out.sortKey = q.Get("sort_key")
	}
	if q.Has("sort_dir") {
		out.desc = q.Get("sort_dir") == "desc"
	}
	times, msg := parseTimeConditions(q)
	out.times = times
	out.compile()
	return out, msg
}

// checkFilters rejects the values and combinations IMS refuses: a value
// outside the document's closed set or range, and the combinations the
// document rules out. A parameter given twice is refused too: the document
// describes one value for each, and the emulator does not guess which one a
// gateway would keep. A __platform outside the documented list is accepted
// (see apidoc.Platforms) and matches no image of the default catalog.
func checkFilters(q url.Values) string {
	for _, p := range slices.Sorted(maps.Keys(q)) {
		if len(q[p]) > 1 {
			return fmt.Sprintf("%s is given %d times; each parameter takes one value", p, len(q[p]))
		}
	}
	for _, r := range apidoc.IMSQuery {
		v, ok := q[r.Name]
		switch {
		case !ok:
		case r.Kind == apidoc.IntText:
			n, err := strconv.ParseInt(v[0], 10, 64)
			if err != nil || n < r.Min || r.Max > 0 && n > r.Max {
				return fmt.Sprintf("%s must be an integer %s", r.Name, rangeText(r))
			}
		case !r.Allows(v[0]):
			return fmt.Sprintf("invalid value %q of %s: allowed are %s", v[0], r.Name, strings.Join(r.Values, ", "))
		}
	}
	for _, p := range []string{"__support_xen_gpu_type", "__support_kvm_gpu_type", "__support_xen_hana"} {
		if q.Has(p) && (q.Has("__support_xen") || q.Has("__support_kvm")) {
			return p + " cannot co-exist with __support_xen or __support_kvm"
		}
	}
	if q.Has("__support_kvm_infiniband") && q.Has("__support_xen") {
		return "__support_kvm_infiniband cannot co-exist with __support_xen"
	}
	if q.Has("member_status") && q.Get("visibility") != "shared" {
		return "member_status requires visibility=shared"
	}
	if ep := q.Get("enterprise_project_id"); q.Has("enterprise_project_id") && ep != "0" && ep != "all_granted_eps" && !isUUID(ep) {
		return "enterprise_project_id must be 0, a UUID or all_granted_eps"
	}
	return ""
}

func rangeText(r apidoc.Rule) string {
	if r.Max > 0 {
		return fmt.Sprintf("from %d to %d", r.Min, r.Max)
	}
	return fmt.Sprintf("of %d or more", r.Min)
}

// parseTimeConditions reads created_at and updated_at, operator:time.
func parseTimeConditions(q url.Values) ([]timeCond, string) {
	var out []timeCond
	for _, field := range []string{"created_at", "updated_at"} {
		for _, v := range q[field] {
			op, ts, ok := strings.Cut(v, ":")
			if !ok || !slices.Contains(apidoc.TimeOperators, op) {
				return nil, fmt.Sprintf("%s must be operator:time with gt, gte, lt, lte, eq or neq", field)
			}
			t, err := time.Parse("2006-01-02T15:04:05Z", ts)
			if err != nil {
				t, err = time.Parse("2006-01-02 15:04:05", ts)
			}
			if err != nil {
				return nil, fmt.Sprintf("%s time %q is not yyyy-MM-ddTHH:mm:ssZ", field, ts)
			}
			out = append(out, timeCond{field: field, op: op, at: t})
		}
	}
	return out, ""
}

func (s *Server) serveIMS(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Project-Id") == "" && r.Header.Get("X-Auth-Token") == "" {
		imsError(w, http.StatusBadRequest, "IMG.0010", "X-Project-Id is required")
		return
	}
	if pid := r.Header.Get("X-Project-Id"); pid != "" && !s.ownsProject(pid) {
		gatewayError(w, http.StatusForbidden, "APIGW.0302", "The IAM user is not authorized to access the project "+pid)
		return
	}
	query, msg := parseIMSQuery(r.URL.Query())
	if msg != "" {
		imsError(w, http.StatusBadRequest, "IMG.0001", msg)
		return
	}
	var matched []Image
	for _, img := range s.catalogOf(r.Header.Get("X-Project-Id")).Images {
		if query.matches(img) {
			matched = append(matched, img)
		}
	}
	query.sort(matched)
	start := 0
	if query.marker != "" {
		i := slices.IndexFunc(matched, func(img Image) bool { return img.str("id") == query.marker })
		if i < 0 {
			imsError(w, http.StatusBadRequest, "IMG.0011", "marker "+query.marker+" does not match any image of this query")
			return
		}
		start = i + 1
	}
	limit := query.limit
	if s.opts.PageCap > 0 {
		limit = min(limit, s.opts.PageCap)
	}
	end := min(start+limit, len(matched))
	body, err := appendPage(nil, matched[start:end])
	if err != nil {
		imsError(w, http.StatusInternalServerError, "IMG.0500", "the catalog holds a value JSON cannot carry: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func (q *imsQuery) matches(img Image) bool {
	for _, check := range q.checks {
		if !check(img) {
			return false
		}
	}
	// "Windows images can no longer be queried."
	return img.str("__os_type") != "Windows" && q.matchesTimes(img)
}

// selective are the filters that leave the fewest images, checked first.
var selective = []string{"id", "name", "tag"}

// compile turns the filters the request gives into the checks an image
// must pass, the selective ones first, so that an image of a listing costs
// what the request asks (mostly one look-up), not a look-up of every
// parameter there is. Each parameter comes once (checkFilters).
func (q *imsQuery) compile() {
	add := func(check func(Image) bool) { q.checks = append(q.checks, check) }
	for _, p := range selective {
		if want := q.q.Get(p); q.q.Has(p) && p == "tag" {
			add(func(img Image) bool { return slices.Contains(img.strs("tags"), want) })
		} else if q.q.Has(p) {
			add(func(img Image) bool { return img.str(p) == want })
		}
	}
	for _, p := range exactParams {
		if want := q.q.Get(p); q.q.Has(p) && !slices.Contains(selective, p) {
			add(func(img Image) bool { return img.str(p) == want })
		}
	}
	for _, p := range boolParams {
		if want := q.q.Get(p); q.q.Has(p) {
			add(func(img Image) bool { return strings.EqualFold(img.str(p), want) })
		}
	}
	for _, p := range []string{"min_ram", "min_disk"} {
		if q.q.Has(p) {
			want, _ := strconv.ParseFloat(q.q.Get(p), 64)
			add(func(img Image) bool { return img.num(p) >= want })
		}
	}
	if want := q.q.Get("enterprise_project_id"); q.q.Has("enterprise_project_id") && want != "all_granted_eps" {
		add(func(img Image) bool {
			ep := img.str("enterprise_project_id")
			if ep == "" {
				ep = "0"
			}
			return ep == want
		})
	}
	if q.q.Has("architecture") {
		arm := q.q.Get("architecture") == "arm"
		add(func(img Image) bool { return arm == strings.EqualFold(img.str("__support_arm"), "true") })
	}
	// The filters on the catalog's hidden fields.
	if want := q.q.Get("__whole_image"); q.q.Has("__whole_image") {
		add(func(img Image) bool { return strconv.FormatBool(img.hiddenBool("whole_image")) == want })
	}
	if want := q.q.Get("flavor_id"); q.q.Has("flavor_id") {
		add(func(img Image) bool { return slices.Contains(img.hiddenStrings("flavors"), want) })
	}
	if want := q.q.Get("member_status"); q.q.Has("member_status") {
		add(func(img Image) bool { return img.hiddenString("member_status") == want })
	}
}

// matchesTimes checks the created_at and updated_at conditions.
func (q *imsQuery) matchesTimes(img Image) bool {
	for _, c := range q.times {
		t, err := time.Parse(time.RFC3339, img.str(c.field))
		if err != nil {
			return false
		}
		t = t.Truncate(time.Second)
		var ok bool
		switch c.op {
		case "gt":
			ok = t.After(c.at)
		case "gte":
			ok = !t.Before(c.at)
		case "lt":
			ok = t.Before(c.at)
		case "lte":
			ok = !t.After(c.at)
		case "eq":
			ok = t.Equal(c.at)
		case "neq":
			ok = !t.Equal(c.at)
		}
		if !ok {
			return false
		}
	}
	return true
}

// sort orders by the sort key in the asked direction; ties are broken by id,
// always ascending, as a database would by primary key.
func (q *imsQuery) sort(imgs []Image) {
	slices.SortStableFunc(imgs, func(a, b Image) int {
		var c int
		if q.sortKey == "size" {
			c = cmp.Compare(a.num("size"), b.num("size"))
		} else {
			c = strings.Compare(a.str(q.sortKey), b.str(q.sortKey))
		}
		if q.desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.str("id"), b.str("id"))
		}
		return c
	})
}

func isUUID(s string) bool {
	if len(s) == 32 {
		s = s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
	}
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// Image is one IMS image of the catalog: its JSON fields as the API sends
// them, plus hidden fields under the "emulator:" prefix that drive filters
// the response does not show (whole image, flavors, member status).
type Image map[string]any

const hiddenPrefix = "emulator:"

// hidden reports whether a field is the emulator's own, never shown.
func hidden(k string) bool { return strings.HasPrefix(k, hiddenPrefix) }

func (img Image) str(k string) string {
	switch v := img[k].(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		return strconv.Itoa(v)
	case json.Number:
		return v.String()
	}
	return ""
}

func (img Image) num(k string) float64 {
	f, err := strconv.ParseFloat(img.str(k), 64)
	if err != nil {
		return math.Inf(-1)
	}
	return f
}

func (img Image) strs(k string) []string {
	switch v := img[k].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (img Image) hiddenString(k string) string    { return img.str(hiddenPrefix + k) }
func (img Image) hiddenBool(k string) bool        { return img.str(hiddenPrefix+k) == "true" }
func (img Image) hiddenStrings(k string) []string { return img.strs(hiddenPrefix + k) }

// public returns the fields the API shows.
func (img Image) public() map[string]any {
	out := make(map[string]any, len(img))
	for k, v := range img {
		if !hidden(k) {
			out[k] = v
		}
	}
	return out
}
