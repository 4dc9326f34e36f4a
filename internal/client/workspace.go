package client

import (
	"context"
	"net/url"
	"sync"

	"github.com/hwc-terraform/terraform-provider-hwc/internal/apidoc"
)

// maxMarketImageIDs is how many ids one KooGallery request may carry.
const maxMarketImageIDs = apidoc.MarketMaxIDs

// marketImageConcurrency is how many KooGallery requests run at once.
const marketImageConcurrency = 4

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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b := &batchRun{found: make(map[string]Record, len(ids)), cancel: cancel, budget: ReadBudget(ctx)}
	var wg sync.WaitGroup
	slots := make(chan struct{}, marketImageConcurrency)
	for start := 0; start < len(ids); start += maxMarketImageIDs {
		batch := ids[start:min(start+maxMarketImageIDs, len(ids))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
				return
			}
			if ctx.Err() == nil {
				b.add(r.marketBatch(ctx, pid, batch))
			}
		}()
	}
	wg.Wait()
	if b.err != nil {
		return nil, b.requests, b.err
	}
	return b.found, b.requests, nil
}

// batchRun gathers the answers of the batches of one MarketImages call.
type batchRun struct {
	mu       sync.Mutex
	found    map[string]Record
	cost     int // what found will cost (see Record.Cost)
	budget   int // what it may cost (see ReadBudget)
	requests int
	err      error
	cancel   context.CancelFunc
}

// add records one batch; the first failure cancels the batches left.
func (b *batchRun) add(page []Record, sent bool, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if sent {
		b.requests++
	}
	if err != nil {
		if b.err == nil {
			b.err = err
			b.cancel()
		}
		return
	}
	for _, rec := range page {
		if id, ok := rec.String("image_id"); ok {
			b.found[id] = rec
			b.cost += rec.Cost()
		}
	}
	if b.cost > b.budget && b.err == nil {
		b.err = &KeptTooMuchError{What: "KooGallery images", Images: len(b.found), Cost: b.cost, Budget: b.budget}
		b.cancel()
	}
}

// marketBatch asks for one batch of at most 100 ids.
func (r *Region) marketBatch(ctx context.Context, pid string, batch []string) ([]Record, bool, error) {
	return r.c.getPage(ctx, request{
		region:  r,
		service: Workspace,
		path:    "/v2/" + pid + "/market-images",
		query:   url.Values{"image_ids": batch},
		project: pid,
		list:    listKey,
	}, len(batch))
}
