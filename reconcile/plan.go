package reconcile

import (
	"context"
	"errors"

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
	// value replaces (secrets redacted).
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
}

// Plan compares file with store and returns what reconciling it in mode
// does, without writing anything.
func Plan(ctx context.Context, store configstore.ConfigStore, file *configfile.File, mode configfile.SourceOfTruth) (*Changeset, error) {
	return nil, errors.New("TODO")
}

// Apply carries out plan in one transaction: every change or none. It fails
// with configstore.ErrConflict when the store revision moved since the plan.
func Apply(ctx context.Context, store configstore.ConfigStore, plan *Changeset, opts ...ApplyOption) error {
	return errors.New("TODO")
}

// ApplyOption configures Apply.
type ApplyOption func(*applyOptions)

type applyOptions struct {
	progress func(done, total int)
}

// WithProgress makes Apply report its progress: done of total entries written.
func WithProgress(fn func(done, total int)) ApplyOption {
	return func(o *applyOptions) { o.progress = fn }
}
