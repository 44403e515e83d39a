package configfile

import (
	"strings"

	"github.com/gatewaykit/configstore"
)

// Problem is one thing wrong with a config.json.
type Problem struct {
	// Path is the JSON path of the offending value
	// ("governance.virtual_keys[3].provider_configs[0].key_ids[1]"); empty
	// for a problem with the file as a whole, such as a syntax error.
	Path string
	// Message says what is wrong. It never contains a secret value.
	Message string
	// Line and Column (1-based, columns in characters) locate the value.
	Line, Column int

	at        path // Path as segments
	offset    int  // byte offset of the value, for document order
	reference bool // a dangling reference (wraps ErrInvalidReference)
}

// String returns "path: message", or the message alone for an empty path.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Error is what Parse and Load return for an invalid config.json: every
// problem found, in document order. It wraps configstore.ErrInvalid, and
// also configstore.ErrInvalidReference when a problem is a dangling
// reference.
type Error struct {
	// File is the path Load read; empty for Parse.
	File     string
	Problems []Problem
}

// Error prints every problem on its own line, prefixed with File when set.
func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if e.File != "" {
			b.WriteString(e.File + ": ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns configstore.ErrInvalid, and configstore.ErrInvalidReference
// when a problem is a dangling reference, for errors.Is.
func (e *Error) Unwrap() []error {
	errs := []error{configstore.ErrInvalid}
	for _, p := range e.Problems {
		if p.reference {
			return append(errs, configstore.ErrInvalidReference)
		}
	}
	return errs
}
