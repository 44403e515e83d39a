package configstore

import (
	"context"
	"errors"
	"fmt"
)

// checkReferences checks that every reference field of rec points at an
// existing row, so a dangling reference is an ErrInvalidReference naming
// the field (the backend's own enforcement is the safety net). stored,
// for an update, is the record rec replaces: a reference it holds already
// needs no check, since the delete rules keep its target while the stored
// row refers to it.
func checkReferences(ctx context.Context, r Reader, kind *Kind, rec, stored Record) error {
	for _, ref := range kind.References {
		target, ok := rec[ref.Field].(string)
		if !ok || stored != nil && stored[ref.Field] == target {
			continue // NULL (refers to nothing), or unchanged
		}
		if err := checkExists(ctx, r, ref.Target, target, ref.Field); err != nil {
			return err
		}
	}
	return nil
}

// checkExists returns an ErrInvalidReference at path when the row of kind
// targetKind with key does not exist.
func checkExists(ctx context.Context, r Reader, targetKind, key, path string) error {
	target, _ := KindByName(targetKind)
	_, err := lookupRow(ctx, r, target, key)
	if errors.Is(err, ErrNotFound) {
		return &FieldError{Path: path, Msg: fmt.Sprintf("%s %q does not exist", targetKind, key), Err: ErrInvalidReference}
	}
	return err
}

// lookupFields are, by kind, the fields reference checks read from a
// referenced row besides its existence: a virtual key's provider config
// checks the provider of each key it lists.
var lookupFields = map[*Kind][]string{kindKey: {"provider"}}

// lookupRow returns the row of kind with key as far as reference checks
// need it (its lookupFields), or an error wrapping ErrNotFound. In a write
// transaction the rows it wrote or looked up before are not read again: a
// bulk write (a config.json apply creating thousands of virtual keys that
// refer to the same teams and keys) checks its references without a read
// per reference.
func lookupRow(ctx context.Context, r Reader, kind *Kind, key string) (Record, error) {
	if tx, ok := r.(*countingTx); ok {
		return tx.lookup(ctx, kind, key)
	}
	return r.Get(ctx, kind, key)
}

// prefetchRows reads, in one query per kind, the rows of keys that a write
// transaction does not know yet, so the lookupRow calls that follow find
// them without a read each (a virtual key's provider configs list several
// keys). Outside a write transaction it does nothing.
func prefetchRows(ctx context.Context, r Reader, kind *Kind, keys []string) error {
	if tx, ok := r.(*countingTx); ok {
		return tx.prefetch(ctx, kind, keys)
	}
	return nil
}

// rowRef names one row.
type rowRef struct {
	kind *Kind
	key  string
}

// deleteClosure returns the rows deleting (kind, key) removes: the row and,
// recursively, its Cascade referrers. If a Restrict referrer outside that
// set points into it, the delete is refused with ErrReferenced naming the
// referrer.
func deleteClosure(ctx context.Context, r Reader, kind *Kind, key string) ([]rowRef, error) {
	closure := []rowRef{{kind, key}}
	in := map[rowRef]bool{{kind, key}: true}
	for i := 0; i < len(closure); i++ {
		err := eachReferrer(ctx, r, closure[i], Cascade, func(_ string, referrer rowRef, _ Record) error {
			if !in[referrer] {
				in[referrer] = true
				closure = append(closure, referrer)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, row := range closure {
		err := eachReferrer(ctx, r, row, Restrict, func(field string, referrer rowRef, rec Record) error {
			if in[referrer] {
				return nil
			}
			return fmt.Errorf("%s %q is referenced by %s (%s): %w",
				row.kind.Name, row.key, describe(ctx, r, referrer, rec), field, ErrReferenced)
		})
		if err != nil {
			return nil, err
		}
	}
	return closure, nil
}

// eachReferrer calls fn for every row whose reference with delete rule
// rule points at row, with the referencing field.
func eachReferrer(ctx context.Context, r Reader, row rowRef, rule DeleteRule, fn func(field string, referrer rowRef, rec Record) error) error {
	for _, ref := range Referrers(row.kind) {
		if ref.OnDelete != rule {
			continue
		}
		recs, err := r.List(ctx, ref.Kind, Query{Where: []Condition{Eq(ref.Field, row.key)}})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if err := fn(ref.Field, rowRef{ref.Kind, rec[ref.Kind.Key].(string)}, rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// describe names a referrer for an error message; a part row (a virtual
// key's provider config) is named by the entity it belongs to.
func describe(ctx context.Context, r Reader, row rowRef, rec Record) string {
	switch row.kind {
	case kindVKProviderConfig, kindVKMCPConfig:
		return fmt.Sprintf("virtual_key %q", rec["virtual_key_id"])
	case kindVKProviderConfigKey:
		if pc, err := r.Get(ctx, kindVKProviderConfig, rec["provider_config_id"].(string)); err == nil {
			return fmt.Sprintf("virtual_key %q", pc["virtual_key_id"])
		}
	}
	return fmt.Sprintf("%s %q", row.kind.Name, row.key)
}
