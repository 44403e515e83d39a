package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatewaykit/configstore"
)

// writeError maps the error of an insert or update of recs, none of which
// is stored, to the root sentinels. A constraint violation
// is reported with the kind, the record's key and the constrained fields;
// when the database does not say which record or constraint, a look at the
// data finds them. Values never appear: they may be secrets.
func (t *txn) writeError(ctx context.Context, op string, kind *configstore.Kind, recs []configstore.Record, err error) error {
	if held, ok := t.heldError(ctx, err); ok {
		return held
	}
	if ctx.Err() != nil {
		return t.fail(ctx, op, kind, err)
	}
	v := t.dialect.Classify(err)
	what, sentinel := v.Class.describe()
	switch v.Class {
	case UniqueViolation:
		key, fields := t.locateDuplicate(ctx, kind, recs, v.Columns, op == "update")
		return fmt.Errorf("%s %s %s: %s: %w", op, kind.Name, key, describeFields(what, fields), sentinel)
	case ForeignKeyViolation:
		key, field := t.locateDangling(ctx, kind, recs, v.Columns)
		return fmt.Errorf("%s %s %s: %s: %w", op, kind.Name, key, describeFields(what, []string{field}), sentinel)
	case NotNullViolation, CheckViolation:
		return fmt.Errorf("%s %s %s: %s: %w", op, kind.Name, recordsKey(kind, recs), describeFields(what, v.Columns), sentinel)
	}
	return t.fail(ctx, op, kind, err)
}

// describe returns what a violation of class broke, for messages, and the
// root sentinel it is reported as; nil for NoViolation.
func (c ViolationClass) describe() (what string, sentinel error) {
	switch c {
	case UniqueViolation:
		return "unique", configstore.ErrAlreadyExists
	case ForeignKeyViolation:
		return "reference", configstore.ErrInvalidReference
	case NotNullViolation, CheckViolation:
		return "invalid value", configstore.ErrInvalid
	}
	return "", nil
}

// deleteError maps the error of deleting keys of kind.
func (t *txn) deleteError(ctx context.Context, kind *configstore.Kind, keys []string, err error) error {
	if held, ok := t.heldError(ctx, err); ok {
		return held
	}
	if ctx.Err() != nil || t.dialect.Classify(err).Class != ForeignKeyViolation {
		return t.fail(ctx, "delete", kind, err)
	}
	target := fmt.Sprintf("%q", keys[0])
	if len(keys) > 1 {
		target = fmt.Sprintf("(one of %d keys)", len(keys))
	}
	if by := t.locateReferrer(ctx, kind, keys); by != "" {
		return fmt.Errorf("delete %s %s: referenced by %s: %w", kind.Name, target, by, configstore.ErrReferenced)
	}
	return fmt.Errorf("delete %s %s: a row it would delete is referenced by a row that stays: %w",
		kind.Name, target, configstore.ErrReferenced)
}

// describeFields names a constraint by its fields ("unique (name)").
func describeFields(what string, fields []string) string {
	if len(fields) == 0 || fields[0] == "" {
		return what
	}
	return fmt.Sprintf("%s (%s)", what, strings.Join(fields, ", "))
}

// recordsKey names the one record of recs, or how many there are.
func recordsKey(kind *configstore.Kind, recs []configstore.Record) string {
	if len(recs) == 1 {
		return describeKey(kind, recs[0])
	}
	return fmt.Sprintf("(one of %d records)", len(recs))
}
