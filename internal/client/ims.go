package client

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/url"
	"strconv"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// imsListPath is the IMS listing endpoint (API document "Querying Images").
const imsListPath = "/v1/cloudimages/fuzzy"

// IMSPageSize is the page size the provider asks IMS for: the API
// document's default page size (it documents no maximum).
const IMSPageSize = apidoc.DefaultLimit

// MaxReadCost bounds what the images one read keeps will cost once they
// are state (see Record.Cost), so that no answer within the body and page
// caps takes the provider past 256 MiB: 160 MiB is some 30,000 images of
// the size real ones have, or 50,000 with nothing but an id. A read path
// that builds the state in more memory scales it down (WithCostScale).
const MaxReadCost = 160 << 20

// Cost is about what a record costs once it is state: the object of every
// attribute, each byte it holds again (tftypes values, their encoding), and
// every list element it may become (an element of a JSON list, or of a
// text split on ","). The parts were measured on the provider's peak RSS
// (the test TestMemoryOfOneReadIsBoundedByCost): about 3 KiB an image with
// an id only, 5.6 KiB a realistic one, 42 bytes a list element.
func (r Record) Cost() int {
	return costPerRecord + costPerByte*len(r.data) + costPerElement*bytes.Count(r.data, []byte(","))
}

const (
	costPerRecord  = 3 << 10
	costPerByte    = 2
	costPerElement = 48
)

type costScaleKey struct{}

// WithCostScale says that the reads of ctx build their state at scale times
// the cost of Record.Cost: their budget is MaxReadCost / scale.
func WithCostScale(ctx context.Context, scale int) context.Context {
	return context.WithValue(ctx, costScaleKey{}, scale)
}

// ReadBudget is what the records of one read of ctx may cost.
func ReadBudget(ctx context.Context) int {
	if scale, ok := ctx.Value(costScaleKey{}).(int); ok && scale > 1 {
		return MaxReadCost / scale
	}
	return MaxReadCost
}

// KeptTooMuchError is a read whose records would cost more than its budget
// once they are state.
type KeptTooMuchError struct {
	What   string // such as "IMS images"
	Images int    // the records kept before the read stopped
	Cost   int    // what they would cost
	Budget int    // what the read may cost
}

func (e *KeptTooMuchError) Error() string {
	return fmt.Sprintf("the %s of this read would take more than %d MiB once they are state (%d MiB for the %d kept when reading "+
		"stopped), more than one read may take", e.What, e.Budget>>20, e.Cost>>20, e.Images)
}

// maxListingPages bounds one listing: 200 pages of 500 are 100,000 images,
// far more than any account holds, so a listing that goes on is a server
// that never ends it.
const maxListingPages = 200

// ListImages pages through IMS with the filters in query, pageSize images a
// page (1 to 500), marker being the last id of the previous page. It hands
// each page to visit, which returns false once it has what it needs; paging
// also stops on a page shorter than asked for, but for one that has a size a
// gateway's cap on pages would have (see capLike): then one more page is
// asked for, and when it holds images, the listing goes on with that size as
// the page size and reports it in Listing.PageCap. A page longer than asked for,
// a server that hands back a marker it already gave, and a listing of more
// than maxListingPages pages are errors rather than unbounded work. An image
// whose id came earlier in the listing, on an earlier page or the same one,
// is left out of the page handed to visit (a server that repeats an image
// must not duplicate results). Pages come through the client's page cache, so
// identical listings share requests; the pages handed to visit must not be
// modified.
func (r *Region) ListImages(ctx context.Context, query url.Values, pageSize int, visit func([]Record) bool) (Listing, error) {
	var done Listing
	if pageSize < 1 || pageSize > IMSPageSize {
		return done, fmt.Errorf("page size %d is outside 1..%d", pageSize, IMSPageSize)
	}
	pid, err := r.ProjectID(ctx)
	if err != nil {
		return done, err
	}
	seen, listed := map[idDigest]bool{}, map[idDigest]bool{} // the markers sent, the ids of earlier pages
	marker := ""
	full := pageSize // the size of a page that does not end the listing
	probing := false // this page checks whether the short one before it was a cap
	for pages := 1; ; pages++ {
		q := make(url.Values, len(query)+2)
		for k, v := range query {
			q[k] = v
		}
		q.Set("limit", strconv.Itoa(pageSize))
		if marker != "" {
			q.Set("marker", marker)
		}
		page, sent, err := r.c.getPage(ctx, request{region: r, service: IMS, path: imsListPath, query: q, project: pid, list: listKey}, pageSize)
		if sent {
			done.Requests++
		}
		if err != nil {
			return done, err
		}
		if pages > maxListingPages && len(page) > 0 {
			// The page after the last one allowed may only say the listing ended.
			return done, fmt.Errorf("IMS listed more than %d pages (%d images) and was still going: a listing that long is a server that never ends it, so reading stopped", maxListingPages, maxListingPages*pageSize)
		}
		if probing && len(page) > 0 {
			done.PageCap = full
		}
		probing = false
		if fresh, err := r.withoutListed(page, listed); err != nil || !visit(fresh) {
			return done, err // nil when visit has what it needs
		}
		if len(page) < full {
			if done.PageCap != 0 || !capLike(len(page)) {
				return done, nil
			}
			full, probing = len(page), true
		}
		last, _ := page[len(page)-1].String("id")
		if last == "" {
			return done, fmt.Errorf("IMS returned a full page whose last image has no id, so the next page cannot be asked for")
		}
		if seen[digest(last)] {
			return done, fmt.Errorf("IMS returned the page after marker %q again: the listing does not advance", r.c.cleanShort(last))
		}
		seen[digest(last)] = true
		marker = last
	}
}

// Listing is what ListImages reports of a listing besides its pages.
type Listing struct {
	// Requests is the number of requests sent (pages the page cache
	// already held are not requests).
	Requests int
	// PageCap is, when IMS answered fewer images a page than asked for
	// and yet had more, the number it answered: a gateway capping pages.
	PageCap int
}

// capLike reports whether a page of n images, shorter than asked for, has
// a size a gateway's cap on pages would have (100, 200, 250…), so that the
// listing may not have ended. Other short pages end it: the guard costs a
// request only on the one in 50 listings whose last page has such a size.
func capLike(n int) bool { return n >= 50 && n%50 == 0 }

// maxIDBytes bounds an image id: IMS ids are UUIDs of 36 characters, so
// a longer one is a server that sends something else.
const maxIDBytes = 256

// ListedCost is what a listing remembers of each image it returns: the
// digest of its id in a map. A read counts it in its budget, beside what
// the images it keeps cost, so that the bound covers everything a read
// holds (100,000 images: under 10 MB).
const ListedCost = 96

// idDigest is what a listing remembers of an id, so that it costs the same
// whatever the ids' length (ids of 60 KB over 60 pages took 2 GB).
type idDigest [sha256.Size]byte

func digest(id string) idDigest { return sha256.Sum256([]byte(id)) }

// withoutListed returns page without the images whose id is in listed or
// came earlier on the page, and adds the page's ids to listed: page itself
// when it drops none, else a copy (pages are shared). An id longer than
// maxIDBytes is an error.
func (r *Region) withoutListed(page []Record, listed map[idDigest]bool) ([]Record, error) {
	var out []Record
	for i, rec := range page {
		id, ok := rec.String("id")
		if len(id) > maxIDBytes {
			return nil, fmt.Errorf("IMS returned an image id of %d bytes, longer than any image id (%d bytes at most): %q…",
				len(id), maxIDBytes, r.c.cleanShort(id[:40]))
		}
		d := digest(id)
		switch {
		case ok && listed[d] && out == nil:
			out = append(make([]Record, 0, len(page)-1), page[:i]...)
		case ok && listed[d]:
		case out != nil:
			out = append(out, rec)
		}
		if ok {
			listed[d] = true
		}
	}
	if out == nil {
		return page, nil
	}
	return out, nil
}
