package sqlstore

import (
	"context"
	"fmt"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/migrate"
	"github.com/uptrace/bun/dialect"
)

var _ configstore.Migrator = (*Store)(nil)

// MigrationStatus reports the database's migrations (migrate.Status, which
// only reads) and, on PostgreSQL, the database encoding.
func (s *Store) MigrationStatus(ctx context.Context) (configstore.SchemaStatus, error) {
	if s.closed.Load() {
		return configstore.SchemaStatus{}, ErrClosed
	}
	st := configstore.SchemaStatus{Dialect: s.write.Dialect().Name().String()}
	if s.write.Dialect().Name() == dialect.PG {
		st.Dialect = "postgres"
	}
	ms, err := migrate.Status(ctx, s.write, migrate.Options{})
	if err != nil {
		return st, s.txError(ctx, "migration status", err)
	}
	for _, m := range ms {
		st.Migrations = append(st.Migrations, configstore.Migration{
			Name: m.Name, Applied: m.Applied, AppliedAt: m.AppliedAt.UTC(), Unknown: m.Unknown})
	}
	if s.write.Dialect().Name() == dialect.PG {
		err := s.write.QueryRowContext(ctx,
			"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(&st.Encoding)
		if err != nil {
			return st, fmt.Errorf("database encoding: %w", s.dialect.SafeError(err))
		}
	}
	return st, nil
}
