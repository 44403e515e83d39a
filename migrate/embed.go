package migrate

import "embed"

// embeddedFS holds the migration files, sql/<dialect>/*.sql.
//
// TODO(migrate): switch to `//go:embed sql` once migrate/sql/ has files;
// go:embed of a missing or empty directory does not compile.
var embeddedFS embed.FS
