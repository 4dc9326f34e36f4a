package client

import (
	"context"
	"net/url"
	"sync"
)

// maxMarketImageIDs is how many ids one KooGallery request may carry.
const maxMarketImageIDs = 100

// MarketImageConcurrency is how many KooGallery requests run at once.
const MarketImageConcurrency = 4

// MarketImages fetches KooGallery images by id (GET
// /v2/{project_id}/market-images), in batches of at most 100 ids, up to four
// batches at once, each retried by the client's policy. ids must be free of
// duplicates. It returns the images found, keyed by image_id (unknown ids are
// simply absent), and the number of requests sent: batches already read by
// this client come from its page cache. The first batch to fail for good cancels the others and its
// error is returned, with no partial result.
func (r *Region) MarketImages(ctx context.Context, ids []string) (map[string]Record, int, error) {
	pid, err := r.ProjectID(ctx)
	if err != nil {
		return nil, 0, err
	}
	var batches [][]string
	for start := 0; start < len(ids); start += maxMarketImageIDs {
		batches = append(batches, ids[start:min(start+maxMarketImageIDs, len(ids))])
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		found    = make(map[string]Record, len(ids))
		firstErr error
		requests int
		wg       sync.WaitGroup
		slots    = make(chan struct{}, MarketImageConcurrency)
	)
	for _, batch := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			page, sent, err := r.c.getPage(ctx, request{
				region:  r,
				service: Workspace,
				path:    "/v2/" + pid + "/market-images",
				query:   url.Values{"image_ids": batch},
				project: pid,
			}, len(batch))
			mu.Lock()
			defer mu.Unlock()
			if sent {
				requests++
			}
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			for _, rec := range page {
				if id, ok := rec.String("image_id"); ok {
					found[id] = rec
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, requests, firstErr
	}
	return found, requests, nil
}
