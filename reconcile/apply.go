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
// prune writes no entity.
//
// A plan made by Startup or Reconcile also marks the store with the digest
// of the document planned (configstore.ReconcileMark), in the same
// transaction; a plan with nothing to write marks it only when the mark is
// not already that digest at the plan's revision (a restart after a write
// through the API), and not at all when the store moved since the plan.
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
		markUnchanged(ctx, store, plan)
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
		if plan.digest == "" {
			return nil
		}
		return tx.MarkReconciled(ctx, plan.digest)
	})
}

// markUnchanged marks the store with the digest of a plan that has nothing
// to write, unless it holds that mark at the plan's revision already, or
// moved since the plan (the mark would then vouch for writes it did not
// see). The mark only spares the next start a comparison: when it cannot
// be written (a read-only or sealed store, a role without write access, an
// ended context), the apply, which had nothing to write, still succeeds.
func markUnchanged(ctx context.Context, store configstore.ConfigStore, plan *Changeset) {
	if plan.digest == "" {
		return
	}
	if mark, err := store.GetReconcileMark(ctx); err == nil && mark.Digest == plan.digest && mark.Revision == plan.Revision {
		return
	}
	_ = store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		rev, err := tx.Revision(ctx)
		if err != nil || rev != plan.Revision {
			return err
		}
		return tx.MarkReconciled(ctx, plan.digest)
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
