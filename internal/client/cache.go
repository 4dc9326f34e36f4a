package client

import (
	"context"
	"errors"
	"sync"
)

// pageCache shares listing pages within one client, that is one provider
// configuration in one provider process (Terraform starts one process for a
// plan and another for an apply). Identical requests made at the same time
// wait for the first one instead of being sent again, and a page that was
// read is not read again. Failures are not kept. Pages are never modified
// after decoding, so every reader may share them.
type pageCache struct {
	mu       sync.Mutex
	pages    map[string][]Record
	inflight map[string]*flight
}

type flight struct {
	done chan struct{}
	page []Record
	err  error
}

// get returns the page for key, from the cache, from a request under way, or
// by calling fetch; it reports whether fetch was called by this caller.
func (c *pageCache) get(ctx context.Context, key string, fetch func(context.Context) ([]Record, error)) ([]Record, bool, error) {
	for {
		c.mu.Lock()
		if page, ok := c.pages[key]; ok {
			c.mu.Unlock()
			return page, false, nil
		}
		if f, ok := c.inflight[key]; ok {
			c.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
			// The request of another caller was cancelled: try again on
			// this caller's own context.
			if f.err != nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) && ctx.Err() == nil {
				continue
			}
			return f.page, false, f.err
		}
		if c.pages == nil {
			c.pages, c.inflight = map[string][]Record{}, map[string]*flight{}
		}
		f := &flight{done: make(chan struct{})}
		c.inflight[key] = f
		c.mu.Unlock()

		f.page, f.err = fetch(ctx)
		c.mu.Lock()
		delete(c.inflight, key)
		if f.err == nil {
			c.pages[key] = f.page
		}
		c.mu.Unlock()
		close(f.done)
		return f.page, true, f.err
	}
}
