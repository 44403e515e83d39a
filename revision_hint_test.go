package configstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/memory"
)

// failingCommits is a Backend whose write transactions, while fail is
// set, fail after fn succeeded, as a failed commit: nothing is stored. It
// counts the updates of the store's state records.
type failingCommits struct {
	configstore.Backend
	fail         bool
	stateUpdates int
}

var errCommit = errors.New("the commit failed")

func (b *failingCommits) Write(ctx context.Context, fn func(tx configstore.Tx) error) error {
	return b.Backend.Write(ctx, func(tx configstore.Tx) error {
		if err := fn(stateUpdateCounter{tx, b}); err != nil {
			return err
		}
		if b.fail {
			return errCommit
		}
		return nil
	})
}

type stateUpdateCounter struct {
	configstore.Tx
	b *failingCommits
}

func (c stateUpdateCounter) Update(ctx context.Context, kind *configstore.Kind, rec configstore.Record, expected int64) error {
	if kind.Name == "state" {
		c.b.stateUpdates++
	}
	return c.Tx.Update(ctx, kind, rec, expected)
}

// TestFailedCommitForgetsTheRevisionHint: after a commit that failed, the
// next write reads the store revision instead of first trying the revision
// the failed one would have raised it to; after a commit that succeeded,
// it raises the revision in one update, on the hint's word.
func TestFailedCommitForgetsTheRevisionHint(t *testing.T) {
	ctx := context.Background()
	b := &failingCommits{Backend: memory.New(memory.Options{})}
	s := configstore.New(b)
	defer s.Close()
	create := func(id string) error { return s.CreateRateLimit(ctx, &configstore.RateLimit{ID: id}) }
	if err := create("first"); err != nil {
		t.Fatal(err)
	}
	b.fail = true
	if err := create("doomed"); !errors.Is(err, errCommit) {
		t.Fatalf("a write whose commit fails: %v, want %v", err, errCommit)
	}
	b.fail, b.stateUpdates = false, 0
	if err := create("second"); err != nil {
		t.Fatal(err)
	}
	if b.stateUpdates != 1 {
		t.Fatalf("the write after a failed commit updated the revision record %d times, want once (no try on a stale hint)", b.stateUpdates)
	}
	b.stateUpdates = 0
	if err := create("third"); err != nil || b.stateUpdates != 1 {
		t.Fatalf("the next write: %v, %d revision updates; want nil and 1", err, b.stateUpdates)
	}
	if rev, err := s.Revision(ctx); err != nil || rev != 3 {
		t.Fatalf("revision %d, %v; want 3", rev, err)
	}
}
