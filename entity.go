package configstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// entity is what every stored entity type implements (on its pointer).
type entity interface {
	meta() *Meta
	key() string
	setKey(string)
	validate() error
}

// entityPtr constrains P to be *T implementing entity.
type entityPtr[T any] interface {
	*T
	entity
}

// entityKind describes how the generic operations handle one entity type.
type entityKind[T any, P entityPtr[T]] struct {
	kind *Kind
	// generateKey: an empty key gets a generated id on create.
	generateKey bool
	// immutable lists fields an update may not change (a key's provider:
	// virtual keys list the key under that provider).
	immutable []string
	// parts, optional: rows of other kinds stored with the entity.
	parts partsCodec[T, P]
}

// partsCodec reads and writes the rows that are parts of an entity.
type partsCodec[T any, P entityPtr[T]] interface {
	// check validates the parts' references against r, with field paths,
	// and returns what writes them (nil: nothing to write). It runs before
	// v is encoded, so it may set fields of v that describe its parts. For
	// an update, stored is the entity's stored record.
	check(ctx context.Context, r Reader, v P, stored Record) (partsWrite, error)
	// lists returns the lists that read the parts of the entities sel
	// selects, independent of one another but through InSelect, so that
	// they go in one batch with the entities' own list.
	lists(sel selection) []KindQuery
	// assembler returns what fills in the parts of vs from the results of
	// lists.
	assembler(vs []T) partsAssembler
}

// partsAssembler fills in the parts of entities from the results of their
// parts' lists (partsCodec.lists), handed over one list at a time, so that
// a reader need not hold every list's records at once.
type partsAssembler interface {
	// add takes the records of list i; the lists come in order.
	add(i int, recs []Record) error
	// done completes the entities once every list is in.
	done() error
}

// partsWrite writes the parts an entity's check resolved, replacing the
// stored ones for an update.
type partsWrite func(ctx context.Context, tx Tx) error

func nowMillis() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// get reads one entity: from the store's cache when it serves the
// backend's snapshots (readCache), else from the snapshot.
func get[T any, P entityPtr[T]](ctx context.Context, s *store, ek entityKind[T, P], key string) (*T, error) {
	var out *T
	err := s.read(ctx, func(r Reader) error {
		v, served, err := cachedGet(ctx, s.cache, r, ek, key)
		if !served {
			v, err = readOne(ctx, r, ek, key)
		}
		out = v
		return err
	})
	if err != nil {
		return nil, withEntity(err, ek.kind.Name, key)
	}
	return out, nil
}

// getBy reads the entity whose field, that of a single-field unique
// constraint on text, holds the stored value: from the store's cache when
// it serves the backend's snapshots, else from the snapshot. Errors name
// the field, never the value (a virtual key's is a secret).
func getBy[T any, P entityPtr[T]](ctx context.Context, s *store, ek entityKind[T, P], field, value string) (*T, error) {
	var out *T
	err := s.read(ctx, func(r Reader) error {
		v, found, served, err := cachedGetBy(ctx, s.cache, r, ek, field, value)
		if !served {
			v, found, err = readOneBy(ctx, r, ek, field, value)
		}
		if err == nil && !found {
			err = ErrNotFound
		}
		out = v
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s with the given %s: %w", ek.kind.Name, field, err)
	}
	return out, nil
}

// readOneBy reads the entity of ek whose field, that of a single-field
// unique constraint, holds value from r, as the last calls of r's read;
// found is false when none does.
func readOneBy[T any, P entityPtr[T]](ctx context.Context, r Reader, ek entityKind[T, P], field, value string) (v *T, found bool, err error) {
	vs, err := readEntities(ctx, r, ek, Query{Where: []Condition{Eq(field, value)}})
	if err != nil || len(vs) == 0 {
		return nil, false, err
	}
	return &vs[0], true, nil
}

// readOne reads the entity of ek with key from r, as the last calls of
// r's read.
func readOne[T any, P entityPtr[T]](ctx context.Context, r Reader, ek entityKind[T, P], key string) (*T, error) {
	if ek.parts != nil {
		out, err := readEntities(ctx, r, ek, Query{Where: []Condition{Eq(ek.kind.Key, key)}})
		if err == nil && len(out) == 0 {
			err = fmt.Errorf("%s %q: %w", ek.kind.Name, key, ErrNotFound)
		}
		if err != nil {
			return nil, err
		}
		return &out[0], nil
	}
	lastCall(r)
	rec, err := r.Get(ctx, ek.kind, key)
	if err != nil {
		return nil, err
	}
	out, err := decodeAll[T]([]Record{rec})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// list reads the entities matching q.
func list[T any, P entityPtr[T]](ctx context.Context, s *store, ek entityKind[T, P], q Query) ([]T, error) {
	var out []T
	err := s.read(ctx, func(r Reader) error {
		var err error
		out, err = readEntities(ctx, r, ek, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", ek.kind.Name, err)
	}
	return out, nil
}

// readEntities reads the entities matching q, and their parts, as the
// last calls of r's read: in one batch of lists, or, when q has a limit
// (the parts' lists cannot select by it), the entities first and then
// their parts by key. A read of every entity of the kind goes list by
// list (readEach), each list decoded as it comes: next to reading whole
// tables a batch's round trips save nothing, and a database may send rows
// faster than one document holding them all (PostgreSQL's batch: 572 ms
// where 231 ms do for 10,000 virtual keys).
func readEntities[T any, P entityPtr[T]](ctx context.Context, r Reader, ek entityKind[T, P], q Query) ([]T, error) {
	if ek.parts == nil {
		lastCall(r)
		recs, err := r.List(ctx, ek.kind, q)
		if err != nil {
			return nil, err
		}
		return decodeAll[T](recs)
	}
	var out []T
	var parts partsAssembler
	entities := func(recs []Record) (err error) {
		out, err = decodeAll[T](recs)
		parts = ek.parts.assembler(out)
		return err
	}
	lists := []KindQuery{{ek.kind, q}}
	sel := selection{kind: ek.kind, where: q.Where}
	if q.Limit > 0 {
		recs, err := r.List(ctx, ek.kind, q)
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		keys := make([]string, len(recs))
		for i, rec := range recs {
			keys[i], _ = rec[ek.kind.Key].(string)
		}
		if err := entities(recs); err != nil {
			return nil, err
		}
		lists, sel.where = nil, []Condition{In(ek.kind.Key, keys)}
	}
	first := len(lists) // of the parts' lists; before it, the entities' own
	lists = append(lists, ek.parts.lists(sel)...)
	read := readBatch
	if len(q.Where) == 0 && q.Limit == 0 {
		read = readEach
	}
	err := read(ctx, r, true, lists, func(i int, recs []Record) error {
		if i < first {
			return entities(recs)
		}
		return parts.add(i-first, recs)
	})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out, parts.done()
}

// create validates v and inserts it. On success *v holds what was stored
// (generated id, Meta, normalized times); on failure *v is unchanged.
func create[T any, P entityPtr[T]](ctx context.Context, s *store, ek entityKind[T, P], v P) error {
	cp, err := validCopy(ek, v)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(w *writer) error {
		if err := initMeta(cp.meta(), w.sourceFor(ctx)); err != nil {
			return err
		}
		return putEntity(ctx, w, ek, cp, nil)
	})
	if err != nil {
		return withEntity(err, ek.kind.Name, cp.key())
	}
	*v = *cp
	return nil
}

// putEntity writes v in w's transaction after checking its references:
// an insert when stored is nil, else an update of the stored record. It
// records the change and leaves in v what was stored.
func putEntity[T any, P entityPtr[T]](ctx context.Context, w *writer, ek entityKind[T, P], v P, stored Record) error {
	if err := checkNotRedacted(v); err != nil {
		return err
	}
	if err := checkFreeFormsNotRedacted(v); err != nil {
		return err
	}
	var writeParts partsWrite
	if ek.parts != nil {
		var err error
		if writeParts, err = ek.parts.check(ctx, w.tx, v, stored); err != nil {
			return err
		}
	}
	rec, err := encodeOf(v)
	if err != nil {
		return err
	}
	if err := checkReferences(ctx, w.tx, ek.kind, rec, stored); err != nil {
		return err
	}
	op := OpCreate
	if stored != nil {
		op = OpUpdate
		if err := checkImmutable(ek.immutable, stored, rec); err != nil {
			return err
		}
	}
	if stored == nil {
		err = w.tx.Insert(ctx, ek.kind, rec)
	} else {
		err = w.tx.Update(ctx, ek.kind, rec, stored["revision"].(int64))
	}
	if err != nil {
		return err
	}
	if writeParts != nil {
		if err := writeParts(ctx, w.tx); err != nil {
			return err
		}
	}
	w.record(ctx, ek.kind, v.key(), op)
	return decodeInto(rec, v)
}

// update replaces the stored entity with v (see Meta.Revision for the
// optimistic check). upsert creates it when missing (settings sections).
// On success *v holds what was stored; on failure *v is unchanged.
func update[T any, P entityPtr[T]](ctx context.Context, s *store, ek entityKind[T, P], v P, upsert bool) error {
	if v.key() == "" {
		return withEntity(invalidf(ek.kind.Key, "is required"), ek.kind.Name, "")
	}
	cp, err := validCopy(ek, v)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(w *writer) error {
		rec, err := w.tx.Get(ctx, ek.kind, cp.key())
		if upsert && errors.Is(err, ErrNotFound) {
			if err := initMeta(cp.meta(), w.sourceFor(ctx)); err != nil {
				return err
			}
			return putEntity(ctx, w, ek, cp, nil)
		}
		if err != nil {
			return err
		}
		cur := P(new(T))
		if err := decodeInto(rec, cur); err != nil {
			return err
		}
		if err := applyStoredMeta(cp.meta(), cur.meta(), w.sourceFor(ctx)); err != nil {
			return err
		}
		keepRedactedSecrets(cp, cur)
		keepRedactedFreeForms(cp, cur)
		return putEntity(ctx, w, ek, cp, rec)
	})
	if err != nil {
		return withEntity(err, ek.kind.Name, cp.key())
	}
	*v = *cp
	return nil
}

// validCopy validates v and returns a deep copy of it (the codec's round
// trip, as a store would read it back) that the write may change without
// touching the caller's value.
func validCopy[T any, P entityPtr[T]](ek entityKind[T, P], v P) (P, error) {
	cp := P(new(T))
	*cp = *v
	if cp.key() == "" && ek.generateKey {
		cp.setKey(uuid.NewString())
	}
	if err := cp.validate(); err != nil {
		return nil, withEntity(err, ek.kind.Name, cp.key())
	}
	if err := checkKey(ek.kind, cp.key()); err != nil {
		return nil, withEntity(err, ek.kind.Name, cp.key())
	}
	if err := storeRoundTrip(cp); err != nil {
		return nil, withEntity(err, ek.kind.Name, cp.key())
	}
	return cp, nil
}

// checkImmutable refuses an update from stored to next that changes one of
// the fields.
func checkImmutable(fields []string, stored, next Record) error {
	for _, f := range fields {
		if next[f] != stored[f] {
			return invalidf(f, "cannot be changed; create a new record instead")
		}
	}
	return nil
}

// initMeta sets the metadata of a new record; only the reconciler may set
// its config_hash.
func initMeta(m *Meta, source string) error {
	if m.ConfigHash != "" && source != SourceConfigFile {
		return invalidf("config_hash", "is managed by the store and cannot be set")
	}
	now := nowMillis()
	m.Revision, m.CreatedAt, m.UpdatedAt = 1, now, now
	return nil
}

// applyStoredMeta checks the expected revision and carries the stored
// metadata over to an update.
func applyStoredMeta(next, cur *Meta, source string) error {
	if next.Revision != 0 && next.Revision != cur.Revision {
		return fmt.Errorf("expected revision %d, stored revision is %d: %w", next.Revision, cur.Revision, ErrConflict)
	}
	if source != SourceConfigFile {
		if next.ConfigHash != "" && next.ConfigHash != cur.ConfigHash {
			return invalidf("config_hash", "is managed by the store and cannot be set")
		}
		next.ConfigHash = cur.ConfigHash
	}
	next.Revision = cur.Revision + 1
	next.CreatedAt = cur.CreatedAt
	next.UpdatedAt = nowMillis()
	if next.UpdatedAt.Before(cur.UpdatedAt) {
		next.UpdatedAt = cur.UpdatedAt
	}
	return nil
}

// remove deletes one entity and, by the delete rules, its cascade.
func remove(ctx context.Context, s *store, kind *Kind, key string) error {
	err := s.write(ctx, func(w *writer) error {
		if _, err := w.tx.Get(ctx, kind, key); err != nil {
			return err
		}
		cascaded, err := deleteClosure(ctx, w.tx, kind, key)
		if err != nil {
			return err
		}
		if err := w.tx.Delete(ctx, kind, key); err != nil {
			return err
		}
		for _, row := range cascaded {
			w.record(ctx, row.kind, row.key, OpDelete)
		}
		return nil
	})
	return withEntity(err, kind.Name, key)
}

// checkKey rejects keys no backend can index.
func checkKey(kind *Kind, key string) error {
	if key == "" {
		return invalidf(kind.Key, "is required")
	}
	return checkName(kind.Key, key)
}
