package reconcile

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/google/uuid"
)

// kind tells the generic Plan and Apply how to handle one entity kind of
// config.json. The table of them is in kinds.go.
type kind[T any] struct {
	section configfile.Section
	name    string // the configstore kind name ("virtual_key", ...)
	// rank orders the writes: an entity is written after every entity of
	// lower rank (those it may refer to) and pruned before them. rankOf,
	// when set, ranks each written entity itself (a budget owned by
	// another entity is written after its owner, but pruned at rank, after
	// its owner too, whose delete cascades to it).
	rank   int
	rankOf func(*T) int

	fromFile func(*configfile.File) []T
	list     func(configstore.ConfigStore, context.Context) ([]T, error)
	// key returns the entity's key (id or name), "" when the file gives
	// none; setKey sets the key of such an entity (matched or generated).
	key    func(*T) string
	setKey func(*T, string)
	// label is the name shown in the plan. With byName, it is unique in
	// the store, and a file entity given without a key matches the stored
	// entity of the same label.
	label  func(*T) string
	byName bool

	create func(configstore.ConfigStore, context.Context, *T) error
	update func(configstore.ConfigStore, context.Context, *T) error
	// remove deletes by key; nil for kinds that are never pruned.
	remove func(configstore.ConfigStore, context.Context, string) error

	// resolve, when set, rewrites the entity's references that name other
	// file entities given without a key into their keys (it must copy what
	// it changes: the value shares its lists with the file), and reports
	// whether it rewrote any.
	resolve func(*planner, *T) bool
	// budgetID, when set, points at the entity's budget reference. When it
	// names a budget created late in the same apply (one owned by an
	// entity), the entity is first written without it and updated after.
	budgetID func(*T) *string
}

// planner holds what planning one file against one store has found so far.
type planner struct {
	ctx   context.Context
	store configstore.ConfigStore
	file  *configfile.File
	// normalized says file is as configfile.Parse returned it: its
	// entities are normalized, so the plan hashes them as they are
	// (configfile.HashNormalized) and normalizes only what it rewrites.
	normalized bool
	mode       configfile.SourceOfTruth
	cs         *Changeset
	// fileKeys holds, per kind name, the keys the file gives explicitly.
	fileKeys map[string]map[string]bool
	// keyOfName holds, per kind name, the key each file entity given
	// without one resolved to, by its label.
	keyOfName map[string]map[string]string
	// lateCreates holds the keys of the budgets created after the entities
	// that own them.
	lateCreates map[string]bool
	// deleted holds, per kind name, the keys of the stored entities the
	// plan deletes: those it prunes and those deleted with their owner.
	deleted map[string]map[string]bool
	// cascades add, each for one kind, the entries of its stored entities
	// deleted with an owner the plan deletes; each reports whether it
	// added any.
	cascades []func() bool
}

// addCascades adds the entries of the stored entities that the store
// deletes with an owner the plan deletes, until there are no more (an
// entity deleted with its owner may own others in turn).
func (p *planner) addCascades() {
	for more := len(p.deleted) > 0; more; {
		more = false
		for _, cascade := range p.cascades {
			if cascade() {
				more = true
			}
		}
	}
}

// plan adds to p.cs the entries and apply steps of every entity of kind k
// in the file, and, when the mode says so, the prunes of stored entities
// the file does not have, and registers in p.cascades the entries of
// those deleted with their owner. It reads the stored entities with one
// List call.
func (k *kind[T]) plan(p *planner) error {
	owners, err := ownersOf[T](k.name)
	if err != nil {
		return err
	}
	stored, err := k.list(p.store, p.ctx)
	if err != nil {
		return fmt.Errorf("plan %s: %w", k.name, err)
	}
	byKey := make(map[string]*T, len(stored))
	byLabel := map[string]*T{}
	for i := range stored {
		byKey[k.key(&stored[i])] = &stored[i]
		if k.byName {
			byLabel[k.label(&stored[i])] = &stored[i]
		}
	}
	defs := k.fromFile(p.file)
	explicit := map[string]bool{}
	for i := range defs {
		explicit[k.key(&defs[i])] = true
	}
	p.fileKeys[k.name], p.keyOfName[k.name] = explicit, map[string]string{}
	p.cs.grow(len(defs))
	matched := map[string]bool{}
	for _, def := range defs {
		cur, err := k.planEntity(p, def, byKey, byLabel)
		if err != nil {
			return err
		}
		if cur != nil {
			matched[k.key(cur)] = true
		}
	}
	if p.mode != configfile.SourceConfigJSON {
		return nil // split mode prunes nothing, so nothing is deleted with its owner either
	}
	if k.remove != nil && p.file.Has(k.section) {
		for i := range stored {
			if s := &stored[i]; !matched[k.key(s)] {
				k.addPrune(p, s)
			}
		}
	}
	if len(owners) > 0 && len(stored) > 0 {
		p.cascades = append(p.cascades, func() bool { return k.addOwnerDeletes(p, stored, matched, owners) })
	}
	return nil
}

// planEntity plans one file entity def and returns the stored entity it
// matched, if any.
func (k *kind[T]) planEntity(p *planner, def T, byKey, byLabel map[string]*T) (*T, error) {
	hash, err := p.hash(&def)
	if err != nil {
		return nil, fmt.Errorf("plan %s %q: %w", k.name, k.describe(&def), err)
	}
	next := def
	resolved := k.resolve != nil && k.resolve(p, &next)
	var cur *T
	if key := k.key(&def); key != "" || k.setKey == nil {
		cur = byKey[key]
	} else {
		// A stored entity of the same name matches, unless the file gives
		// its key to another entity.
		if named := byLabel[k.label(&def)]; k.byName && named != nil && !p.fileKeys[k.name][k.key(named)] {
			cur = named
		}
		key = uuid.NewString()
		if cur != nil {
			key = k.key(cur)
		}
		k.setKey(&next, key)
		p.keyOfName[k.name][k.label(&def)] = key
	}
	// next is written as the store reads it back. A normalized file entity
	// is that already, with any key it gets (no validation looks at it),
	// but for references resolve rewrote.
	if !p.normalized || resolved {
		if err := configstore.Normalize(&next); err != nil {
			return nil, fmt.Errorf("plan %s %q: %w", k.name, k.describe(&next), err)
		}
	}
	*metaOf(&next) = configstore.Meta{ConfigHash: hash}
	e := Entry{Section: k.section, Kind: k.name, ID: k.key(&next), Name: k.label(&next)}
	if cur == nil {
		e.Action, e.Reason = ActionCreate, ReasonNew
	} else {
		configfile.CopyRuntimeState(&next, cur)
		if !equalCompared(cur, &next) {
			e.Changes = diff(cur, &next)
		}
		e.Action, e.Reason = decide(p.mode, metaOf(cur).ConfigHash == hash, len(e.Changes) > 0)
	}
	k.addWrite(p, e, &next)
	return cur, nil
}

// hash returns the config_hash of def, a file entity.
func (p *planner) hash(def any) (string, error) {
	if p.normalized {
		return configfile.HashNormalized(def)
	}
	return configfile.Hash(def)
}

// decide returns what reconciling in mode does to a stored entity, given
// whether its stored config_hash is the file definition's and whether its
// stored value differs from the file value.
func decide(mode configfile.SourceOfTruth, sameHash, differs bool) (Action, string) {
	switch {
	case mode == configfile.SourceConfigJSON && differs:
		return ActionUpdate, ReasonAuthoritative
	case !sameHash:
		// Also when the values agree: the stored config_hash must become
		// the file definition's, or every later split start would update
		// the entity again, overwriting the API edits made in between.
		return ActionUpdate, ReasonFileChanged
	case differs:
		return ActionKeep, ReasonEditPreserved
	}
	return ActionKeep, ReasonUnchanged
}

// addWrite adds entry e and, unless it keeps the entity, the steps that
// write v.
func (k *kind[T]) addWrite(p *planner, e Entry, v *T) {
	index := p.cs.add(e)
	if e.Action == ActionKeep {
		return
	}
	write := k.update
	if e.Action == ActionCreate {
		write = k.create
	}
	rank := k.rankFor(v)
	if rank == rankOwnedBudget && e.Action == ActionCreate {
		p.lateCreates[e.ID] = true
	}
	if k.budgetID != nil && p.lateCreates[*k.budgetID(v)] {
		first := *v
		*k.budgetID(&first) = ""
		p.cs.addStep(step{rank: rank, entry: index, run: writeFn(write, first)})
		write, rank = k.update, rankBudgetRefs
	}
	p.cs.addStep(step{rank: rank, entry: index, run: writeFn(write, *v)})
}

// writeFn returns a step that writes a copy of v (the store fills in the
// Meta of what it is given, even when the transaction rolls back).
func writeFn[T any](write func(configstore.ConfigStore, context.Context, *T) error, v T) func(context.Context, configstore.ConfigStore) error {
	return func(ctx context.Context, tx configstore.ConfigStore) error {
		cp := v
		return write(tx, ctx, &cp)
	}
}

// addPrune adds the entry and the step that delete stored entity s.
func (k *kind[T]) addPrune(p *planner, s *T) {
	index := k.addDelete(p, s, ReasonNotInFile)
	key := k.key(s)
	p.cs.addStep(step{rank: k.rank, prune: true, entry: index, run: func(ctx context.Context, tx configstore.ConfigStore) error {
		err := k.remove(tx, ctx, key)
		if errors.Is(err, configstore.ErrNotFound) {
			return nil // deleted already by the cascade of an earlier prune
		}
		return err
	}})
}

// addDelete adds the prune entry of stored entity s, with reason, records
// that the plan deletes s, and returns the entry's index.
func (k *kind[T]) addDelete(p *planner, s *T, reason string) int {
	e := Entry{Section: k.section, Kind: k.name, ID: k.key(s), Name: k.label(s), Action: ActionPrune, Reason: reason}
	if p.deleted[k.name] == nil {
		p.deleted[k.name] = map[string]bool{}
	}
	p.deleted[k.name][e.ID] = true
	return p.cs.add(e)
}

// addOwnerDeletes adds a prune entry for each stored entity of kind k
// that the plan neither writes (matched) nor deletes yet but whose owner
// it deletes, and reports whether it added any. Such an entry has no step
// of its own: the owner's delete deletes the entity (the store cascades
// it), and deleting it first could be refused (an owner may refer to the
// budget it owns).
func (k *kind[T]) addOwnerDeletes(p *planner, stored []T, matched map[string]bool, owners []owner) bool {
	added := false
	for i := range stored {
		s := &stored[i]
		if key := k.key(s); matched[key] || p.deleted[k.name][key] {
			continue
		}
		v := reflect.ValueOf(s).Elem()
		for _, o := range owners {
			if id := v.FieldByIndex(o.field).String(); id != "" && p.deleted[o.kind][id] {
				k.addDelete(p, s, fmt.Sprintf("%s %s %q", ReasonOwnerPruned, o.kind, id))
				added = true
				break
			}
		}
	}
	return added
}

// owner is a reference of an entity to the entity whose delete deletes
// it (a budget's virtual_key_id): the kind it names and the index of its
// field in the entity type.
type owner struct {
	kind  string
	field []int
}

// ownersOf returns the owners of the entities of type T, of the
// configstore kind named name: the references the kind declares with the
// Cascade delete rule, each with the string field of T stored under the
// reference's name.
func ownersOf[T any](name string) ([]owner, error) {
	decl, ok := configstore.KindByName(name)
	if !ok {
		return nil, fmt.Errorf("plan %s: not a declared configstore kind", name)
	}
	fields := reflect.VisibleFields(reflect.TypeFor[T]())
	var out []owner
	for _, ref := range decl.References {
		if ref.OnDelete != configstore.Cascade {
			continue
		}
		i := slices.IndexFunc(fields, func(f reflect.StructField) bool {
			stored, _, _ := strings.Cut(f.Tag.Get("store"), ",")
			return stored == ref.Field && f.Type.Kind() == reflect.String
		})
		if i < 0 {
			return nil, fmt.Errorf("plan %s: %s has no string field stored as %q, its reference to %s",
				name, reflect.TypeFor[T](), ref.Field, ref.Target)
		}
		out = append(out, owner{kind: ref.Target, field: fields[i].Index})
	}
	return out, nil
}

// rankFor returns the rank at which v is written.
func (k *kind[T]) rankFor(v *T) int {
	if k.rankOf != nil {
		return k.rankOf(v)
	}
	return k.rank
}

// describe names v in an error: its key, else its label.
func (k *kind[T]) describe(v *T) string {
	if key := k.key(v); key != "" {
		return key
	}
	return k.label(v)
}

// metaOf returns the Meta every entity type embeds.
func metaOf[T any](v *T) *configstore.Meta {
	return reflect.ValueOf(v).Elem().FieldByName("Meta").Addr().Interface().(*configstore.Meta)
}
