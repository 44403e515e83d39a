// The build constraint is sqliteshim's for choosing mattn/go-sqlite3.

//go:build cgo && (cgosqlite || !((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64)))

package sqlite

import (
	"errors"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// mattnCode returns the extended result code of a mattn/go-sqlite3 error.
func mattnCode(err error) (int, bool) {
	var e sqlite3.Error
	if errors.As(err, &e) {
		return int(e.ExtendedCode), true
	}
	return 0, false
}
