package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/spf13/cobra"
)

func (a *app) migrateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Show or apply the store's schema migrations",
		Long: `The SQL stores (sqlite, postgres) have a versioned schema. Opening a store
applies its pending migrations (the gateway does so at startup, and so does
every command of this tool but "migrate status" and "doctor"), each exactly
once even when several replicas start together; a schema newer than this
binary is refused. The memory store has no schema.`,
		Example: `  configstore migrate status --app-dir /var/lib/gateway
  configstore migrate up`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "List the schema migrations and whether they are applied, without applying any",
		Long: `status lists every migration this binary has for the store's schema, with
the time it was applied or "pending", then those the database records but this
binary does not know ("unknown to this binary": the schema is newer). It opens
the store without migrating it and applies nothing, so before rolling out a new
binary it shows what that binary's first start (or "migrate up") will apply.
On a database never migrated every migration is pending (an SQLite config.db
that does not exist yet is created empty).`,
		Example: `  configstore migrate status --app-dir /var/lib/gateway`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(s *openedStore) error {
				return a.printSchema(cmd.Context(), s)
			}, configstore.WithoutMigrations())
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply the pending schema migrations",
		Long: `up opens the store, which applies its pending migrations (with
--log-level info, each is logged as it is applied), and prints the resulting
schema status.`,
		Example: `  configstore migrate up --app-dir /var/lib/gateway --log-level info`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(s *openedStore) error {
				return a.printSchema(cmd.Context(), s)
			})
		},
	})
	return cmd
}

// printSchema prints the schema version and every migration.
func (a *app) printSchema(ctx context.Context, s *openedStore) error {
	st, err := configstore.MigrationStatus(ctx, s.ConfigStore)
	if errors.Is(err, errors.ErrUnsupported) {
		fmt.Fprintf(a.out, "The %s store has no schema: nothing to migrate.\n", s.Type)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "%s schema version %s, %d pending migration(s).\n", st.Dialect, orAbsent(st.Version()), len(st.Pending()))
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "migration\tstate\tapplied at")
	for _, m := range st.Migrations {
		state, at := "pending", ""
		switch {
		case m.Unknown:
			state, at = "unknown to this binary", m.AppliedAt.Format(time.RFC3339)
		case m.Applied:
			state, at = "applied", m.AppliedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, state, at)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	newer := slices.ContainsFunc(st.Migrations, func(m configstore.Migration) bool { return m.Unknown })
	switch n := len(st.Pending()); {
	case newer:
		fmt.Fprintln(a.out, "\nThe schema is newer than this binary: this binary (and a gateway built with it) refuses to open the store.")
	case n > 0:
		fmt.Fprintf(a.out, "\n%d migration(s) not applied: \"configstore migrate up\" (or the gateway's next start) applies them.\n", n)
	}
	return nil
}
