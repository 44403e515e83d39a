package memory

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// Insert implements configstore.Tx. It checks every record (shape, key,
// unique constraints against the stored rows and each other, references)
// before storing any, so a failing call stores nothing.
func (t *tx) Insert(ctx context.Context, kind *configstore.Kind, records ...configstore.Record) error {
	if err := t.begin(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	tb, err := t.view.table(kind)
	if err != nil {
		return err
	}
	if len(records) == 0 {
		return nil
	}
	info := tb.info
	name := info.kind.Name
	prepared := make([]row, len(records))
	keys := make([]string, len(records))
	batch := make(map[string]bool, len(records))
	batchUnique := make([]map[string]string, len(info.unique))
	for i := range batchUnique {
		batchUnique[i] = make(map[string]string, len(records))
	}
	for i, rec := range records {
		cp, key, err := info.checkRecord(rec)
		if err != nil {
			return err
		}
		if tb.has(key) || batch[key] {
			return fmt.Errorf("memory: %s: key %s is already taken: %w", entityName(name, key), info.kind.Key, configstore.ErrAlreadyExists)
		}
		for ci, positions := range info.uniquePos {
			tk, ok := tupleKey(cp, positions)
			if !ok {
				continue
			}
			owner, taken := tb.uniqueOwner(ci, tk)
			if !taken {
				owner, taken = batchUnique[ci][tk]
			}
			if taken {
				return uniqueError(entityName(name, key), info.unique[ci], entityName(name, owner))
			}
			batchUnique[ci][tk] = key
		}
		batch[key] = true
		prepared[i], keys[i] = cp, key
	}
	for i, cp := range prepared {
		if err := t.checkReferences(info, keys[i], cp, batch); err != nil {
			return err
		}
	}
	w := t.writable(name)
	for i, cp := range prepared {
		t.shareWithLast(info, cp)
		w.put(keys[i], cp)
	}
	return nil
}

// Update implements configstore.Tx. The record's key selects the row; its
// stored revision field must equal expectedRevision (a kind without a
// revision field counts as revision 0).
func (t *tx) Update(ctx context.Context, kind *configstore.Kind, record configstore.Record, expectedRevision int64) error {
	if err := t.begin(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	tb, err := t.view.table(kind)
	if err != nil {
		return err
	}
	info := tb.info
	name := info.kind.Name
	cp, key, err := info.checkRecord(record)
	if err != nil {
		return err
	}
	entity := entityName(name, key)
	old, ok := tb.row(key)
	if !ok {
		return fmt.Errorf("memory: update %s: %w", entity, configstore.ErrNotFound)
	}
	var stored int64
	if info.revisionPos >= 0 {
		stored = old[info.revisionPos].(int64)
	}
	if stored != expectedRevision {
		return fmt.Errorf("memory: update %s: expected revision %d, stored revision is %d: %w",
			entity, expectedRevision, stored, configstore.ErrConflict)
	}
	for ci, positions := range info.uniquePos {
		tk, ok := tupleKey(cp, positions)
		if !ok {
			continue
		}
		if owner, taken := tb.uniqueOwner(ci, tk); taken && owner != key {
			return uniqueError(entity, info.unique[ci], entityName(name, owner))
		}
	}
	if err := t.checkReferences(info, key, cp, nil); err != nil {
		return err
	}
	shareValues(cp, old) // an update changes a few of a row's values
	w := t.writable(name)
	w.replace(key, old, cp)
	return nil
}

// checkReferences checks that every non-NULL reference of r points at an
// existing row of the transaction's view, or, for a reference to its own
// kind, at a row of the same batch (batch, possibly nil).
func (t *tx) checkReferences(info *kindInfo, key string, r row, batch map[string]bool) error {
	for i, ref := range info.references {
		target, ok := r[info.refPos[i]].(string)
		if !ok {
			continue // NULL refers to nothing
		}
		if t.view.tables[ref.Target].has(target) {
			continue
		}
		if ref.Target == info.kind.Name && batch[target] {
			continue
		}
		return fieldError(entityName(info.kind.Name, key), ref.Field,
			fmt.Sprintf("refers to a %s that does not exist", ref.Target),
			configstore.ErrInvalidReference)
	}
	return nil
}

// uniqueError reports a taken unique constraint by its field names.
func uniqueError(entity string, fields []string, owner string) error {
	return fmt.Errorf("memory: %s: unique (%s) is already taken by %s: %w",
		entity, strings.Join(fields, ", "), owner, configstore.ErrAlreadyExists)
}
