package sqlite

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/uptrace/bun/driver/sqliteshim"
)

// busyTimeoutMillis is how long a connection waits for a lock held by
// another process (another writer, a checkpoint) before SQLITE_BUSY.
const busyTimeoutMillis = 30_000

// role says what a connection is for.
type role int

const (
	writerRole role = iota // the one connection that writes: BEGIN IMMEDIATE
	readerRole             // read-only connections: deferred transactions
)

// dsn returns the data source name of the database file path for the
// driver sqliteshim selected. Both drivers run the same pragmas on every
// new connection; each spells them its own way.
func dsn(path string, r role) string {
	pragmas := [][2]string{
		{"busy_timeout", strconv.Itoa(busyTimeoutMillis)},
		{"foreign_keys", "1"},
		{"journal_mode", "WAL"},
		{"synchronous", "NORMAL"},
	}
	if r == readerRole {
		pragmas = append(pragmas, [2]string{"query_only", "1"})
	}
	q := url.Values{}
	if sqliteshim.DriverName() == "sqlite3" { // github.com/mattn/go-sqlite3
		for _, p := range pragmas {
			q.Set("_"+p[0], p[1])
		}
	} else { // modernc.org/sqlite
		// Statement journals (of a statement that may fail halfway, and of
		// savepoints) in memory, not in temporary files: a write of a few
		// rows then costs no file system calls but the WAL's. The mattn
		// driver has no DSN parameter for it and keeps SQLite's default.
		pragmas = append(pragmas, [2]string{"temp_store", "MEMORY"})
		for _, p := range pragmas {
			q.Add("_pragma", p[0]+"("+p[1]+")")
		}
	}
	if r == writerRole {
		q.Set("_txlock", "immediate")
	}
	return fileURI(path) + "?" + q.Encode()
}

// fileURI returns path as an SQLite URI filename ("file:/dir/config.db"),
// percent-encoding what would end or alter the path ('?', '#', '%', ...).
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:/C:/dir/config.db
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath()
}
