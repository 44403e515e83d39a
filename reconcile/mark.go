package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

// digestFormat names what a reconcile mark's digest covers. Change it when
// the same document and mode would be reconciled into different rows (a
// new rule in the planner, a new field, another config_hash: the pinned
// hashes of configfile's tests guard that), so that a mark an older
// reconciler left is not trusted. A migration that rewrites stored rows
// does not raise the store revision: it must delete the mark
// (DELETE FROM configstore_state WHERE id = 'reconcile').
const digestFormat = "configstore reconcile mark 1\n"

// documentDigest is the digest a reconcile marks the store with: SHA-256 of
// the digest format, the mode and the document's exact bytes.
func documentDigest(document []byte, mode configfile.SourceOfTruth) string {
	h := sha256.New()
	h.Write([]byte(digestFormat))
	h.Write([]byte(string(mode) + "\n"))
	h.Write(document)
	return hex.EncodeToString(h.Sum(nil))
}

// unchangedPlan returns the plan of a reconcile whose mark the store holds
// at its current revision: the same document was reconciled in the same
// mode and nothing was written since, so the plan has nothing to do. It
// returns nil when the mark is missing, of another document or mode, or
// older than the store.
func unchangedPlan(ctx context.Context, store configstore.ConfigStore, file *configfile.File,
	mode configfile.SourceOfTruth, digest string) (*Changeset, error) {
	rev, err := store.Revision(ctx)
	if err != nil {
		return nil, err
	}
	mark, err := store.GetReconcileMark(ctx)
	switch {
	case errors.Is(err, configstore.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case mark.Digest != digest || mark.Revision != rev:
		return nil, nil
	}
	return &Changeset{Mode: mode, Revision: rev, Entries: []Entry{}, NotManaged: slices.Clone(file.NotManaged),
		Unchanged: true}, nil
}

// reconcileFile reconciles file, as configfile.Parse returned it from
// document, into store: unless opts.DryRun, a store that holds the mark of
// the document's digest at its current revision gets the unchanged plan and no
// writes; otherwise it is planned and, unless opts.DryRun, applied, and
// the apply marks the store with digest. A dry run always plans every
// entity, so that it shows the stored edits it keeps.
func reconcileFile(ctx context.Context, store configstore.ConfigStore, file *configfile.File, document []byte,
	opts Options) (plan *Changeset, applied bool, err error) {
	mode := opts.SourceOfTruth
	if mode == "" {
		mode = file.SourceOfTruth
	}
	if mode == "" {
		mode = configfile.SourceSplit
	}
	digest := documentDigest(document, mode)
	if !opts.DryRun {
		if plan, err = unchangedPlan(ctx, store, file, mode, digest); plan != nil || err != nil {
			return plan, err == nil, err
		}
	}
	if plan, err = planFile(ctx, store, file, mode, true); err != nil {
		return nil, false, err
	}
	if opts.DryRun {
		return plan, false, nil
	}
	plan.digest = digest
	var applyOpts []ApplyOption
	if opts.Progress != nil {
		applyOpts = append(applyOpts, WithProgress(opts.Progress))
	}
	if err := Apply(ctx, store, plan, applyOpts...); err != nil {
		return nil, false, err
	}
	return plan, true, nil
}

// Reconcile parses document, a config.json, and reconciles it into store
// as Startup does once the store is open: the mode is opts.SourceOfTruth,
// else the file's; the plan is applied unless opts.DryRun, and the store
// is marked with the document's digest (configstore.ReconcileMark). When
// the store already holds the mark of the same document and mode at its
// current revision, nothing was written since that reconcile, so
// Reconcile reads no entity and writes nothing: the plan it returns has
// Unchanged set and no entries. A bad document is the configfile error;
// on any error nothing is written.
func Reconcile(ctx context.Context, store configstore.ConfigStore, document []byte, opts Options) (*configfile.File, *Changeset, error) {
	file, err := configfile.Parse(document)
	if err != nil {
		return nil, nil, err
	}
	plan, _, err := reconcileFile(ctx, store, file, document, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("reconcile: %w", err)
	}
	return file, plan, nil
}
