package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/gatewaykit/configstore"
)

// Delete removes the records with keys. Every key must exist (ErrNotFound
// otherwise, and nothing is deleted). The foreign keys apply the delete
// rules: ON DELETE CASCADE removes referrers, NO ACTION refuses the delete
// with ErrReferenced.
func (t *txn) Delete(ctx context.Context, kind *configstore.Kind, keys ...string) error {
	if err := t.check("delete", kind, true); err != nil {
		return err
	}
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	if len(keys) == 0 {
		return nil
	}
	values := make([]any, len(keys))
	for i, k := range keys {
		values[i] = k
	}
	key := keyField(kind)
	sel := t.stmt().SQL("SELECT ").Name(kind.Key).SQL(" FROM ").Name(kind.Table).
		SQL(" WHERE ").Name(kind.Key).SQL(" IN ")
	t.dialect.InList(sel, values)
	found, err := t.selectRecords(ctx, []configstore.Field{key}, sel)
	if err != nil {
		return t.fail(ctx, "delete", kind, err)
	}
	if len(found) < len(keys) {
		present := make(map[string]bool, len(found))
		for _, rec := range found {
			present[rec[kind.Key].(string)] = true
		}
		for _, k := range keys {
			if !present[k] {
				return fmt.Errorf("%s %q: %w", kind.Name, k, configstore.ErrNotFound)
			}
		}
	}
	del := t.stmt().SQL("DELETE FROM ").Name(kind.Table).SQL(" WHERE ").Name(kind.Key).SQL(" IN ")
	t.dialect.InList(del, values)
	t.recent.forget() // its cascades may reach rows of any table
	err = t.atomic(ctx, 1, func() error {
		_, err := t.exec(ctx, del)
		return err
	})
	if err != nil {
		return t.deleteError(ctx, kind, keys, err)
	}
	return nil
}
