package reconcile

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
)

// Action is what a plan does to one entity.
type Action string

// The actions.
const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionKeep   Action = "keep"
	ActionPrune  Action = "prune"
)

// The reasons a plan gives for its actions.
const (
	ReasonNew           = "new in file"
	ReasonFileChanged   = "file definition changed"
	ReasonEditPreserved = "stored edit preserved"
	ReasonAuthoritative = "authoritative: file value applied"
	ReasonNotInFile     = "authoritative: not in file"
	ReasonUnchanged     = "unchanged"
	// ReasonOwnerPruned begins the reason of a stored entity that the
	// plan would not prune for itself (its section is not in the file)
	// but that the store deletes with its owner, which the plan prunes: a
	// budget owned by a pruned virtual key, team, customer or model
	// config. The owner's kind and id follow:
	// `authoritative: deleted with its owner virtual_key "vk-1"`.
	ReasonOwnerPruned = "authoritative: deleted with its owner"
)

// Entry is the plan for one entity.
type Entry struct {
	Section configfile.Section `json:"section"`
	Kind    string             `json:"kind"` // the configstore kind name ("virtual_key", ...)
	ID      string             `json:"id"`
	Name    string             `json:"name,omitempty"`
	Action  Action             `json:"action"`
	Reason  string             `json:"reason"`
	// Changes lists, for an update, the fields whose stored value the file
	// value replaces (so it names the stored edits the update overwrites),
	// and for a keep, the stored edits it preserves (secrets redacted).
	Changes []FieldChange `json:"changes,omitempty"`
}

// FieldChange is one field an update changes, by its JSON path in the
// entity, with the stored and the file value as JSON (secrets redacted).
type FieldChange struct {
	Path   string `json:"path"`
	Stored string `json:"stored"`
	File   string `json:"file"`
}

// Changeset is what Plan returns: what reconciling a file into a store at
// one store revision does, entity by entity.
type Changeset struct {
	Mode configfile.SourceOfTruth `json:"mode"`
	// Revision is the store revision the plan was made at; Apply refuses
	// with ErrConflict when the store moved since.
	Revision int64   `json:"revision"`
	Entries  []Entry `json:"entries"`
	// NotManaged are the file's sections that the store does not manage.
	NotManaged []string `json:"not_managed,omitempty"`
	// Unchanged reports a plan that Startup or Reconcile made without
	// comparing entities: the store holds the mark of a reconcile of the
	// same document in the same mode at its current revision, so there is
	// nothing to do. Entries is then empty.
	Unchanged bool `json:"unchanged,omitempty"`

	// steps are the writes Apply runs, in order, with the values planned.
	steps []step
	// digest, when set, is the mark Apply leaves on the store
	// (configstore.ReconcileMark): the digest of the document planned.
	digest string
}

// Plan compares file with store and returns what reconciling it in mode
// does, without writing anything. It reads each kind with one List call.
//
// In split mode (the default) a file entity missing from the store is
// created; one whose stored config_hash is its file definition's hash is
// kept, stored edits included; any other is updated to the file value.
// Nothing is pruned. In config.json mode every section the file has is
// authoritative: its entities are updated wherever the stored value
// differs, and its stored entities the file lacks are pruned; sections
// the file lacks are left alone, but for the stored entities that a
// prune deletes with their owner (the budgets a pruned virtual key, team,
// customer or model config owns): the plan lists each of them too, as a
// prune whose reason begins with ReasonOwnerPruned. Updates keep the
// stored runtime state (budget and rate-limit usage).
//
// File entities are matched with stored ones by key; keys, virtual keys,
// teams and MCP clients given without an id match the stored one of the
// same name, or get a generated id. Errors name the entity, never a
// secret.
func Plan(ctx context.Context, store configstore.ConfigStore, file *configfile.File, mode configfile.SourceOfTruth) (*Changeset, error) {
	return planFile(ctx, store, file, mode, false)
}

// planFile is Plan; normalized says file is as configfile.Parse returned it
// (see planner.normalized), which a caller that got file from Parse and
// handed it to no one since may say, sparing the plan a normalization of
// every entity. Plan cannot: its caller may have built or changed file.
func planFile(ctx context.Context, store configstore.ConfigStore, file *configfile.File, mode configfile.SourceOfTruth,
	normalized bool) (*Changeset, error) {
	if mode == "" {
		mode = configfile.SourceSplit
	}
	if mode != configfile.SourceSplit && mode != configfile.SourceConfigJSON {
		return nil, fmt.Errorf("plan: source_of_truth %q is neither %q nor %q: %w",
			mode, configfile.SourceSplit, configfile.SourceConfigJSON, configstore.ErrInvalid)
	}
	rev, err := store.Revision(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	cs := &Changeset{Mode: mode, Revision: rev, Entries: []Entry{}, NotManaged: slices.Clone(file.NotManaged)}
	p := &planner{ctx: ctx, store: store, file: file, normalized: normalized, mode: mode, cs: cs,
		fileKeys: map[string]map[string]bool{}, keyOfName: map[string]map[string]string{}, lateCreates: map[string]bool{},
		deleted: map[string]map[string]bool{}}
	for _, k := range planners {
		if err := k.plan(p); err != nil {
			return nil, err
		}
	}
	p.addCascades()
	cs.order()
	return cs, nil
}

// Counts returns how many entries the plan has of each action.
func (cs *Changeset) Counts() map[Action]int {
	out := map[Action]int{ActionCreate: 0, ActionUpdate: 0, ActionKeep: 0, ActionPrune: 0}
	for _, e := range cs.Entries {
		out[e.Action]++
	}
	return out
}

// step is one write of an applied plan.
type step struct {
	rank  int
	prune bool
	entry int // the index of its entry in Changeset.Entries
	run   func(ctx context.Context, tx configstore.ConfigStore) error
}

// add appends e to the plan and returns its index.
func (cs *Changeset) add(e Entry) int {
	cs.Entries = append(cs.Entries, e)
	return len(cs.Entries) - 1
}

// grow makes room for the entries and steps of n more entities, so that a
// plan of thousands grows once per kind rather than by doubling.
func (cs *Changeset) grow(n int) {
	cs.Entries = slices.Grow(cs.Entries, n)
	cs.steps = slices.Grow(cs.steps, n)
}

// addStep appends a write to the plan.
func (cs *Changeset) addStep(s step) { cs.steps = append(cs.steps, s) }

// order sorts the steps into the order Apply runs them: the writes by
// rank, then the prunes by reverse rank, each in plan order within a rank.
func (cs *Changeset) order() {
	slices.SortStableFunc(cs.steps, func(a, b step) int {
		switch {
		case a.prune != b.prune && a.prune:
			return 1
		case a.prune != b.prune:
			return -1
		case a.prune:
			return cmp.Compare(b.rank, a.rank)
		}
		return cmp.Compare(a.rank, b.rank)
	})
}
