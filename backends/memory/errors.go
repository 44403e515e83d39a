package memory

import (
	"errors"
	"fmt"

	"github.com/gatewaykit/configstore"
)

// ErrClosed is returned by every operation on a Backend after Close.
var ErrClosed = errors.New("memory config store is closed")

// ErrTxDone is returned by a transaction's methods once its Write call has
// returned (the transaction was committed or rolled back).
var ErrTxDone = errors.New("memory config store: transaction has already finished")

// entityName formats a kind and key as the root package does in errors:
// `virtual_key "vk-1"`.
func entityName(kind, key string) string {
	return fmt.Sprintf("%s %q", kind, key)
}

// fieldError returns a validation error for one field of a record. It wraps
// sentinel (ErrInvalid or ErrInvalidReference) and never contains a value.
func fieldError(entity, field, msg string, sentinel error) error {
	return &configstore.FieldError{Entity: entity, Path: field, Msg: msg, Err: sentinel}
}

// invalidf returns an error wrapping configstore.ErrInvalid.
func invalidf(format string, args ...any) error {
	return fmt.Errorf("memory: "+format+": %w", append(args, configstore.ErrInvalid)...)
}
