package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/gatewaykit/configstore"
	"github.com/spf13/cobra"
)

func (a *app) migrateCommand() *cobra.Command {
	status := func(cmd *cobra.Command, _ []string) error {
		return a.withStore(cmd.Context(), func(s *openedStore) error {
			return a.printSchema(cmd.Context(), s)
		})
	}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Show or apply the store's schema migrations",
		Long: `The SQL stores (sqlite, postgres) have a versioned schema. Opening a store
applies its pending migrations (the gateway does so at startup, and so does
every command of this tool), each exactly once even when several replicas start
together; a schema newer than this binary is refused. The memory store has no
schema.`,
		Example: `  configstore migrate status --app-dir /var/lib/gateway
  configstore migrate up`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "List the schema migrations and whether they are applied",
		Long: `status lists every migration of the store's schema with the time it was
applied. Opening the store applies pending migrations first, as the gateway
does at startup, so a store this binary can open has none pending; a database
whose schema is newer than this binary cannot be opened, and the error names the
migrations it does not know.`,
		Example: `  configstore migrate status --app-dir /var/lib/gateway`,
		Args:    cobra.NoArgs,
		RunE:    status,
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply the pending schema migrations",
		Long: `up opens the store, which applies its pending migrations (with
--log-level info, each is logged as it is applied), and prints the resulting
schema status.`,
		Example: `  configstore migrate up --app-dir /var/lib/gateway --log-level info`,
		Args:    cobra.NoArgs,
		RunE:    status,
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
	return tw.Flush()
}
