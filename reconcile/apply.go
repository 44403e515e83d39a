package reconcile

import (
	"context"
	"fmt"

	"github.com/gatewaykit/configstore"
)

// Apply carries out plan in one transaction: every change or none. It fails
// with configstore.ErrConflict when the store revision moved since the plan.
// It writes exactly the values Plan decided on, in dependency order (what
// an entity refers to before it), then prunes in reverse order; every
// written entity records the config_hash of its file definition. An entity
// pruned with its owner (ReasonOwnerPruned) is not deleted on its own: the
// owner's delete deletes it. A plan with nothing to create, update or
// prune writes nothing at all.
func Apply(ctx context.Context, store configstore.ConfigStore, plan *Changeset, opts ...ApplyOption) error {
	var o applyOptions
	for _, opt := range opts {
		opt(&o)
	}
	if len(plan.steps) == 0 {
		for _, e := range plan.Entries {
			if e.Action != ActionKeep {
				return fmt.Errorf("apply: the changeset has no planned values to write (%s %s %q): apply what Plan returned, not a decoded copy: %w",
					e.Action, e.Kind, e.ID, configstore.ErrInvalid)
			}
		}
		return nil
	}
	// Batched inserts: a cold apply of thousands of entities costs a few
	// statements per kind, not per entity. The plan was checked against the
	// store, so a constraint the database alone checks seldom fails, and
	// when one does the whole apply rolls back anyway.
	ctx = configstore.WithBatchedInserts(configstore.WithSource(ctx, configstore.SourceConfigFile))
	return store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		rev, err := tx.Revision(ctx)
		if err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		if rev != plan.Revision {
			return fmt.Errorf("apply: the store moved from revision %d to %d since the plan; plan again: %w",
				plan.Revision, rev, configstore.ErrConflict)
		}
		for i, s := range plan.steps {
			if err := s.run(ctx, tx); err != nil {
				e := plan.Entries[s.entry]
				return fmt.Errorf("apply: %s %s %q: %w", e.Action, e.Kind, e.ID, err)
			}
			if o.progress != nil {
				o.progress(i+1, len(plan.steps))
			}
		}
		return nil
	})
}

// ApplyOption configures Apply.
type ApplyOption func(*applyOptions)

type applyOptions struct {
	progress func(done, total int)
}

// WithProgress makes Apply report its progress: done of total writes,
// after each write, inside the transaction (nothing is committed before
// the last). An owner written twice to break a cycle with the budget it
// owns counts two writes.
func WithProgress(fn func(done, total int)) ApplyOption {
	return func(o *applyOptions) { o.progress = fn }
}
