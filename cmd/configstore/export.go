package main

import (
	"os"
	"path/filepath"

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
so in config.json mode the export also prunes what it does not list.

-o FILE writes a new file of mode 0600 and renames it over FILE, so an
existing FILE is replaced whatever its mode was, and never holds the export
with a wider mode or half-written.`,
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
					return writePrivate(output, data)
				}
				_, err = a.out.Write(data)
				return err
			})
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "write literal secrets in clear instead of redacted")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (mode 0600, replacing it) instead of stdout")
	return cmd
}

// writePrivate writes data to the file path with mode 0600, whatever the
// mode of a file already there: it writes a new 0600 file in the same
// directory and renames it over path (over a symlink's target, not the
// link), so that no reader ever sees the data with a wider mode, nor a
// partly written file. On failure path is left as it was.
func writePrivate(path string, data []byte) (err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil { // CreateTemp's mode already; say so explicitly
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
