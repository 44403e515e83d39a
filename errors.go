package configstore

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error the store returns wraps one of them (or a
// context error); test with errors.Is.
var (
	// ErrNotFound: the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyExists: a record with the same key or unique field exists.
	ErrAlreadyExists = errors.New("already exists")
	// ErrConflict: the record's revision moved since it was read.
	ErrConflict = errors.New("revision conflict")
	// ErrInvalid: validation failed; the message names the field path.
	ErrInvalid = errors.New("invalid")
	// ErrReferenced: a delete was refused because other records refer to the row.
	ErrReferenced = errors.New("referenced by other records")
	// ErrInvalidReference: a field points at a record that does not exist.
	ErrInvalidReference = errors.New("invalid reference")
	// ErrReadOnly: the store refuses writes (config_store.enabled: false).
	ErrReadOnly = errors.New("config store is read-only")
	// ErrDisabled: Open was given a Config with Enabled false; file-only mode
	// is set up by the caller (see package reconcile), not by Open.
	ErrDisabled = errors.New("config store is disabled")
)

// FieldError is a validation error for one field, named by its JSON path
// relative to the entity (for example "provider_configs[1].key_ids[0]").
// It wraps ErrInvalid, or ErrInvalidReference for dangling references.
// Its message never contains a secret value.
type FieldError struct {
	Entity string // kind and id, for example `virtual_key "vk-1"`; may be empty
	Path   string // JSON path of the field inside the entity
	Msg    string // what is wrong
	Err    error  // ErrInvalid or ErrInvalidReference
}

// Error returns "<entity>: <path>: <msg>: <sentinel>".
func (e *FieldError) Error() string {
	prefix := ""
	if e.Entity != "" {
		prefix = e.Entity + ": "
	}
	return fmt.Sprintf("%s%s: %s: %v", prefix, e.Path, e.Msg, e.Err)
}

// Unwrap returns the sentinel the error wraps.
func (e *FieldError) Unwrap() error { return e.Err }

// invalidf returns a FieldError wrapping ErrInvalid.
func invalidf(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...), Err: ErrInvalid}
}

// withEntity sets the entity on a FieldError so the message names which
// record was bad; other errors are wrapped with the entity as a prefix.
func withEntity(err error, kind, id string) error {
	if err == nil {
		return nil
	}
	entity := fmt.Sprintf("%s %q", kind, id)
	var fe *FieldError
	if errors.As(err, &fe) {
		if fe.Entity != "" {
			return err
		}
		cp := *fe
		cp.Entity = entity
		return &cp
	}
	if strings.HasPrefix(err.Error(), entity+":") {
		return err
	}
	return fmt.Errorf("%s: %w", entity, err)
}

// prefixPath puts prefix in front of a FieldError's path (an element of a
// list being validated); other errors are returned as they are.
func prefixPath(err error, prefix string) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	cp := *fe
	cp.Path = prefix + "." + fe.Path
	return &cp
}

// messageError is an error with a fixed message that wraps a sentinel.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.err }
