package memory

import (
	"context"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
)

// rowRef names one row: a kind and a key.
type rowRef struct {
	kind string
	key  string
}

// Delete implements configstore.Tx with the declared delete rules, as SQL
// applies ON DELETE CASCADE and NO ACTION: the rows to delete are the
// closure of the given rows under Cascade referrers (recursively); if a row
// outside that closure points at a row inside it through a Restrict
// reference, the delete fails with ErrReferenced and nothing changes;
// otherwise the whole closure goes. Every key must exist (ErrNotFound);
// several keys are deleted all or nothing.
func (t *tx) Delete(ctx context.Context, kind *configstore.Kind, keys ...string) error {
	if err := t.begin(ctx); err != nil {
		return err
	}
	defer t.mu.Unlock()
	tb, err := t.view.table(kind)
	if err != nil {
		return err
	}
	name := tb.info.kind.Name
	for _, key := range keys {
		if !tb.has(key) {
			return fmt.Errorf("memory: delete %s: %w", entityName(name, key), configstore.ErrNotFound)
		}
	}
	closure, order := t.cascadeClosure(name, keys)
	if err := t.checkRestrict(closure, order); err != nil {
		return err
	}
	for _, row := range order {
		t.writable(row.kind).remove(row.key)
	}
	return nil
}

// cascadeClosure returns the rows that deleting keys of kind removes: those
// rows and, recursively, every row pointing at one of them through a
// Cascade reference. order lists the closure in a deterministic order.
func (t *tx) cascadeClosure(kind string, keys []string) (closure map[rowRef]bool, order []rowRef) {
	closure = make(map[rowRef]bool)
	add := func(r rowRef) {
		if !closure[r] {
			closure[r] = true
			order = append(order, r)
		}
	}
	for _, key := range keys {
		add(rowRef{kind, key})
	}
	for i := 0; i < len(order); i++ {
		row := order[i]
		for _, ref := range t.view.schema.kinds[row.kind].referrers {
			if ref.OnDelete != configstore.Cascade {
				continue
			}
			for _, key := range t.referrerKeys(ref, row.key) {
				add(rowRef{ref.Kind.Name, key})
			}
		}
	}
	return closure, order
}

// checkRestrict fails with ErrReferenced if a row outside the closure
// points at a row inside it through a Restrict reference.
func (t *tx) checkRestrict(closure map[rowRef]bool, order []rowRef) error {
	for _, row := range order {
		for _, ref := range t.view.schema.kinds[row.kind].referrers {
			if ref.OnDelete != configstore.Restrict {
				continue
			}
			for _, key := range t.referrerKeys(ref, row.key) {
				if !closure[rowRef{ref.Kind.Name, key}] {
					return fmt.Errorf("memory: delete %s: %s points at it (%s): %w", entityName(row.kind, row.key),
						entityName(ref.Kind.Name, key), ref.Field, configstore.ErrReferenced)
				}
			}
		}
	}
	return nil
}

// referrerKeys returns, sorted, the keys of the rows of ref.Kind whose
// field ref.Field holds target.
func (t *tx) referrerKeys(ref configstore.KindReference, target string) []string {
	tb := t.view.tables[ref.Kind.Name]
	i := slices.IndexFunc(tb.info.references, func(r configstore.Reference) bool { return r.Field == ref.Field })
	return tb.referrers(i, target).sortedKeys()
}
