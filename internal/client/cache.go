package client

import (
	"context"
	"sync"
)

// pageCacheBudget bounds the bytes of decoded pages the cache keeps. Pages
// past it are dropped, oldest first: a long listing read for one image
// (most_recent, limit) does not hold every page it went through.
const pageCacheBudget = 64 << 20

// pageCache shares listing pages within one client, that is one provider
// configuration in one provider process (Terraform starts one process for a
// plan and another for an apply). Identical requests made at the same time
// wait for the first one instead of being sent again, and a page that was
// read is not read again while it is among the newest pageCacheBudget bytes.
// Failures are not kept. Pages are never modified after decoding, so every
// reader may share them.
type pageCache struct {
	budget   int // bytes; pageCacheBudget when zero
	mu       sync.Mutex
	pages    map[string]cachedPage
	order    []string // keys, oldest first
	bytes    int
	inflight map[string]*flight
	// onWait, when set (by tests), is called as a caller starts waiting for
	// a request another caller sent.
	onWait func()
}

type cachedPage struct {
	page []Record
	size int
}

type flight struct {
	done chan struct{}
	page []Record
	err  error
	// abandoned is true when the request ended because the context of the
	// caller that sent it ended, not because it failed.
	abandoned bool
}

// get returns the page for key, from the cache, from a request under way, or
// by calling fetch, which returns the page and its size in bytes; it reports
// whether fetch was called by this caller.
func (c *pageCache) get(ctx context.Context, key string, fetch func(context.Context) ([]Record, int, error)) ([]Record, bool, error) {
	for {
		c.mu.Lock()
		if p, ok := c.pages[key]; ok {
			c.mu.Unlock()
			return p.page, false, nil
		}
		if f, ok := c.inflight[key]; ok {
			onWait := c.onWait
			c.mu.Unlock()
			if onWait != nil {
				onWait()
			}
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, false, ctx.Err()
			}
			// The caller that sent the request went away (its read timed
			// out or was stopped): try again on this caller's own context.
			// Any other failure, a request timeout among them, is every
			// waiting caller's answer at once.
			if f.abandoned && ctx.Err() == nil {
				continue
			}
			return f.page, false, f.err
		}
		if c.pages == nil {
			c.pages, c.inflight = map[string]cachedPage{}, map[string]*flight{}
		}
		f := &flight{done: make(chan struct{})}
		c.inflight[key] = f
		c.mu.Unlock()

		var size int
		f.page, size, f.err = fetch(ctx)
		f.abandoned = f.err != nil && ctx.Err() != nil
		c.mu.Lock()
		delete(c.inflight, key)
		if f.err == nil {
			c.keep(key, cachedPage{page: f.page, size: size})
		}
		c.mu.Unlock()
		close(f.done)
		return f.page, true, f.err
	}
}

// keep adds a page and drops the oldest ones past the budget; c.mu is held.
func (c *pageCache) keep(key string, p cachedPage) {
	c.pages[key] = p
	c.order = append(c.order, key)
	c.bytes += p.size
	budget := c.budget
	if budget == 0 {
		budget = pageCacheBudget
	}
	for c.bytes > budget && len(c.order) > 1 {
		oldest := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.pages[oldest].size
		delete(c.pages, oldest)
	}
}
