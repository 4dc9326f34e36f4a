package client

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
)

// IMSListPath is the IMS listing endpoint (API document "Querying Images").
const IMSListPath = "/v1/cloudimages/fuzzy"

// MaxIMSPageSize is the largest page IMS serves.
const MaxIMSPageSize = 500

// DecodeImages decodes one IMS listing page, {"images": [...]}, as a stream.
func DecodeImages(r io.Reader) ([]Record, error) { return decodeList(r, "images") }

// ListImages pages through IMS with the filters in query, pageSize images a
// page (1 to 500), marker being the last id of the previous page. It hands
// each page to visit, which returns false once it has what it needs; paging
// also stops on a page shorter than asked for. A server that hands back a
// marker it already gave is an error rather than an endless loop. Pages come
// through the client's page cache, so identical listings share requests; the
// pages handed to visit must not be modified. It returns the number of
// requests sent.
func (c *Client) ListImages(ctx context.Context, query url.Values, pageSize int, visit func([]Record) bool) (int, error) {
	if pageSize < 1 || pageSize > MaxIMSPageSize {
		return 0, fmt.Errorf("page size %d is outside 1..%d", pageSize, MaxIMSPageSize)
	}
	seen := map[string]bool{}
	marker := ""
	requests := 0
	for {
		q := make(url.Values, len(query)+2)
		for k, v := range query {
			q[k] = v
		}
		q.Set("limit", strconv.Itoa(pageSize))
		if marker != "" {
			q.Set("marker", marker)
		}
		page, sent, err := c.getPage(ctx, request{service: IMS, path: IMSListPath, query: q, project: true})
		if sent {
			requests++
		}
		if err != nil {
			return requests, err
		}
		if !visit(page) || len(page) < pageSize {
			return requests, nil
		}
		last, _ := page[len(page)-1].String("id")
		if last == "" {
			return requests, fmt.Errorf("IMS returned a full page whose last image has no id, so the next page cannot be asked for")
		}
		if seen[last] {
			return requests, fmt.Errorf("IMS returned the page after marker %q again: the listing does not advance", last)
		}
		seen[last] = true
		marker = last
	}
}
