package migrate

import "embed"

// embeddedFS holds the migration files, sql/<dialect>/*.sql.
//
//go:embed sql
var embeddedFS embed.FS
