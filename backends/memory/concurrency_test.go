package memory_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// TestConcurrentIncrementsLoseNothing: writers read a counter in a snapshot
// and update it with the revision they read, retrying on ErrConflict, while
// readers check that two rows always updated together are never seen apart.
func TestConcurrentIncrementsLoseNothing(t *testing.T) {
	const writers, increments = 8, 50
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	ctx := context.Background()
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "a", nil), backendtest.Record(t, rl, "b", nil))

	increment := func() error {
		for {
			var cur configstore.Record
			err := b.Read(ctx, func(r configstore.Reader) error {
				var err error
				cur, err = r.Get(ctx, rl, "a")
				return err
			})
			if err != nil {
				return err
			}
			rev := cur["revision"].(int64)
			usage := cur["token_current_usage"].(int64) + 1
			err = b.Write(ctx, func(tx configstore.Tx) error {
				for _, key := range []string{"a", "b"} {
					next := backendtest.Record(t, rl, key, map[string]any{"revision": rev + 1, "token_current_usage": usage})
					if err := tx.Update(ctx, rl, next, rev); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, configstore.ErrConflict) {
				return err
			}
		}
	}

	done := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				err := b.Read(ctx, func(r configstore.Reader) error {
					recs, err := r.List(ctx, rl, configstore.Query{})
					if err != nil {
						return err
					}
					if len(recs) != 2 || recs[0]["token_current_usage"] != recs[1]["token_current_usage"] {
						return fmt.Errorf("a reader saw half a transaction: %v", recs)
					}
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var ws sync.WaitGroup
	for range writers {
		ws.Go(func() {
			for range increments {
				if err := increment(); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	ws.Wait()
	close(done)
	readers.Wait()
	got := backendtest.Get(t, b, rl, "a")
	if got["token_current_usage"] != int64(writers*increments) || got["revision"] != int64(writers*increments+1) {
		t.Fatalf("after %d increments: usage %v, revision %v", writers*increments, got["token_current_usage"], got["revision"])
	}
}

func TestConcurrentCallsInOneTransaction(t *testing.T) {
	b := newBackend()
	rl := backendtest.Kind(t, "rate_limit")
	ctx := context.Background()
	write(t, b, func(tx configstore.Tx) error {
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if err := tx.Insert(ctx, rl, backendtest.Record(t, rl, fmt.Sprintf("rl-%02d", i), nil)); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		return nil
	})
	if got := keys(t, b, rl, configstore.Query{}); len(got) != 20 {
		t.Fatalf("%d rows after 20 concurrent inserts", len(got))
	}
}
