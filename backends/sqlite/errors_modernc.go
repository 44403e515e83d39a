// The build constraint is the negation of errors_mattn.go's: sqliteshim
// uses modernc.org/sqlite (or no driver) and mattn/go-sqlite3 is not linked.

//go:build !cgo || (!cgosqlite && ((darwin && amd64) || (darwin && arm64) || (linux && 386) || (linux && amd64) || (linux && arm) || (linux && arm64) || (windows && amd64)))

package sqlite

// mattnCode reports that err is not a mattn/go-sqlite3 error: that driver
// is not in this build.
func mattnCode(error) (int, bool) { return 0, false }
