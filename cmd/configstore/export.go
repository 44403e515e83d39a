package main

import (
	"os"

	"github.com/gatewaykit/configstore/configfile"
	"github.com/spf13/cobra"
)

func (a *app) exportCommand() *cobra.Command {
	var (
		reveal bool
		output string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Print the store as a config.json",
		Long: `export prints everything the store holds as a config.json: providers with
their keys, the governance sections, MCP clients, plugins and the settings
sections, with sorted keys and lists, so that the same store always exports the
same bytes. Revisions, timestamps, config hashes and runtime state (budget and
rate-limit usage) are left out; so is model pricing.

Secrets are written as their env.NAME reference or redacted ("sk-...abcd").
A redacted secret cannot be applied again (the store refuses it), so an export
without --reveal is for review. For an exact copy, use env references for
secrets, or --reveal, which writes literal secrets in clear: then
"apply --source-of-truth config.json" of the export into an empty store
reproduces this store exactly. Every list section is written, empty ones as [],
so in config.json mode the export also prunes what it does not list.`,
		Example: `  configstore export --app-dir /var/lib/gateway > review.json
  configstore export --reveal -o /secure/backup/config.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(s *openedStore) error {
				data, err := configfile.Export(cmd.Context(), s, configfile.ExportOptions{Reveal: reveal})
				if err != nil {
					return err
				}
				if output != "" {
					return os.WriteFile(output, data, 0o600)
				}
				_, err = a.out.Write(data)
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "write literal secrets in clear instead of redacted")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (mode 0600) instead of stdout")
	return cmd
}
