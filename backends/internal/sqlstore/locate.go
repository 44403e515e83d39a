package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
)

// The database does not always say which record of a batch, or which
// constraint, a violation concerns (SQLite names no foreign key, Postgres
// names constraints, not columns, and puts values in its detail, which is
// never shown). These functions find out by looking at the data, after the
// failed statement was undone: only on the error path.

// locateDuplicate finds the record of recs that violates the primary key
// (not for an update, which keeps the key) or a unique constraint (the one
// on columns, when known), against another record of recs or a stored row.
// It returns the record's key and the constraint's fields; when nothing is
// found it describes the batch.
func (t *txn) locateDuplicate(ctx context.Context, kind *configstore.Kind, recs []configstore.Record, columns []string, update bool) (string, []string) {
	candidates := slices.Clone(kind.Unique)
	if !update {
		candidates = append([][]string{{kind.Key}}, candidates...)
	}
	if columns != nil {
		candidates = slices.DeleteFunc(candidates, func(c []string) bool { return !sameSet(c, columns) })
		if len(candidates) == 0 {
			candidates = [][]string{columns}
		}
	}
	for _, fields := range candidates {
		if i := t.duplicateOf(ctx, kind, recs, fields); i >= 0 {
			return describeKey(kind, recs[i]), fields
		}
	}
	if len(candidates) == 1 {
		return recordsKey(kind, recs), candidates[0]
	}
	return recordsKey(kind, recs), nil
}

// duplicateOf returns the index of the first record of recs whose values
// of fields equal another record's of recs, or a stored row's with another
// key (the stored row with the same key is the record itself, for an
// update); -1 if none. NULLs never collide.
func (t *txn) duplicateOf(ctx context.Context, kind *configstore.Kind, recs []configstore.Record, fields []string) int {
	tuples := make([]string, len(recs))
	seen := map[string]bool{}
	var firstValues []any
	for i, rec := range recs {
		tuple, ok := tupleOf(rec, fields)
		if !ok {
			continue
		}
		if seen[tuple] {
			return i
		}
		seen[tuple], tuples[i] = true, tuple
		firstValues = append(firstValues, rec[fields[0]])
	}
	if len(firstValues) == 0 {
		return -1
	}
	stored, err := t.selectWhereIn(ctx, kind, append([]string{kind.Key}, fields...), fields[0], firstValues)
	if err != nil {
		return -1
	}
	storedKeys := map[string]string{} // tuple -> key of the stored row
	for _, row := range stored {
		if tuple, ok := tupleOf(row, fields); ok {
			storedKeys[tuple], _ = row[kind.Key].(string)
		}
	}
	for i, rec := range recs {
		if storedKey, ok := storedKeys[tuples[i]]; ok && tuples[i] != "" {
			isKey := len(fields) == 1 && fields[0] == kind.Key
			if isKey || storedKey != rec[kind.Key] {
				return i
			}
		}
	}
	return -1
}

// locateDangling finds the record of recs with a reference (on one of
// columns, when known) to a row that does not exist, and returns its key
// and the reference field.
func (t *txn) locateDangling(ctx context.Context, kind *configstore.Kind, recs []configstore.Record, columns []string) (string, string) {
	refs := kind.References
	if columns != nil {
		refs = slices.DeleteFunc(slices.Clone(refs), func(r configstore.Reference) bool { return !slices.Contains(columns, r.Field) })
	}
	for _, ref := range refs {
		target, ok := configstore.KindByName(ref.Target)
		if !ok {
			continue
		}
		var values []any
		for _, rec := range recs {
			if v := rec[ref.Field]; v != nil {
				values = append(values, v)
			}
		}
		if len(values) == 0 {
			continue
		}
		stored, err := t.selectWhereIn(ctx, target, []string{target.Key}, target.Key, values)
		if err != nil {
			continue
		}
		exists := map[any]bool{}
		for _, row := range stored {
			exists[row[target.Key]] = true
		}
		for _, rec := range recs {
			if v := rec[ref.Field]; v != nil && !exists[v] {
				return describeKey(kind, rec), ref.Field
			}
		}
	}
	if len(refs) == 1 {
		return recordsKey(kind, recs), refs[0].Field
	}
	return recordsKey(kind, recs), ""
}

// locateReferrer names a row that refers to one of keys of kind through a
// Restrict reference, as `kind "key" (field)`, or "" if there is none (the
// blocking referrer is further down a cascade).
func (t *txn) locateReferrer(ctx context.Context, kind *configstore.Kind, keys []string) string {
	values := make([]any, len(keys))
	for i, k := range keys {
		values[i] = k
	}
	for _, ref := range configstore.Referrers(kind) {
		if ref.OnDelete != configstore.Restrict {
			continue
		}
		rows, err := t.selectWhereIn(ctx, ref.Kind, []string{ref.Kind.Key}, ref.Field, values)
		if err == nil && len(rows) > 0 {
			return fmt.Sprintf("%s %q (%s)", ref.Kind.Name, rows[0][ref.Kind.Key], ref.Field)
		}
	}
	return ""
}

// selectWhereIn returns the fields of the rows of kind whose field in is
// one of values.
func (t *txn) selectWhereIn(ctx context.Context, kind *configstore.Kind, fields []string, in string, values []any) ([]configstore.Record, error) {
	decl := make([]configstore.Field, len(fields))
	for i, name := range fields {
		f, ok := kind.Field(name)
		if !ok {
			return nil, fmt.Errorf("no field %s in %s", name, kind.Name)
		}
		decl[i] = f
	}
	inField, ok := kind.Field(in)
	if !ok {
		return nil, fmt.Errorf("no field %s in %s", in, kind.Name)
	}
	params := make([]any, len(values))
	for i, v := range values {
		p, err := param(inField, v)
		if err != nil {
			return nil, err
		}
		params[i] = p
	}
	s := t.stmt().SQL("SELECT ").Names(fields).SQL(" FROM ").Name(kind.Table).SQL(" WHERE ").Name(in).SQL(" IN ")
	t.dialect.InList(s, params)
	return t.selectRecords(ctx, decl, s)
}

// tupleOf returns a comparable form of rec's values of fields; ok is false
// when one of them is NULL.
func tupleOf(rec configstore.Record, fields []string) (string, bool) {
	var b strings.Builder
	for _, f := range fields {
		v := rec[f]
		if v == nil {
			return "", false
		}
		fmt.Fprintf(&b, "%T:%v\x00", v, v)
	}
	return b.String(), true
}

// sameSet reports whether a and b hold the same names.
func sameSet(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(s string) bool { return !slices.Contains(b, s) })
}
