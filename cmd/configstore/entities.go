package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gatewaykit/configstore"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/spf13/cobra"
)

// cliSource is the change-log source of the writes put and delete make.
const cliSource = "cli"

// kindHelp lists the kinds for the help of get, put and delete.
func kindHelp() string {
	return "KIND is one of: " + strings.Join(kindNames(), ", ") +
		".\nclient, vector_store, log_store and auth are settings sections: one record, no ID."
}

func (a *app) getCommand() *cobra.Command {
	var reveal bool
	cmd := &cobra.Command{
		Use:   "get KIND [ID]",
		Short: "Print one entity, or every entity of a kind, as JSON",
		Long: "get prints the entity of KIND with ID, or without ID all entities of KIND, as\n" +
			"JSON with secrets redacted: secret fields (key values, passwords, ...) and, in\n" +
			"free-form values (a plugin's config, the log_store and vector_store config, extra\n" +
			"headers, a team's profile), what members with secret names hold (password,\n" +
			"api_key, token, Authorization, ...). Env references print as env.NAME. The output\n" +
			"can be edited and given to put: a secret left redacted keeps the stored one, and\n" +
			"its revision makes put fail if the entity changed since.\n\n" +
			"--reveal prints literal secrets in clear, as stored (fields in name order), for a\n" +
			"backup or a copy to another store; keep its output private.\n\n" + kindHelp(),
		Example: `  configstore get virtual_key vk-portal
  configstore get key
  configstore get client
  configstore get log_store --reveal`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := lookupKind(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(s *openedStore) error {
				var v any
				if len(args) == 2 {
					v, err = k.get(ctx, s, args[1])
				} else if k.singleton() {
					v, err = k.get(ctx, s, "")
				} else {
					v, err = k.list(ctx, s)
				}
				if err != nil {
					return err
				}
				return a.printEntities(v, reveal)
			})
		},
	}
	cmd.Flags().BoolVar(&reveal, "reveal", false, "print literal secrets in clear (free-form values' ones too) instead of redacted")
	return cmd
}

func (a *app) putCommand() *cobra.Command {
	var (
		file       string
		ifRevision int64
	)
	cmd := &cobra.Command{
		Use:   "put KIND -f FILE",
		Short: "Create or update one entity from a JSON file",
		Long: "put reads one entity of KIND from FILE (- for stdin), strictly: an unknown field\n" +
			"is an error. It updates the entity with the same key if there is one, and creates\n" +
			"it otherwise (an entity without id gets a generated one), then prints it as stored.\n" +
			"This is an API edit: config.json's split mode keeps it across restarts until the\n" +
			"file's definition of the entity changes.\n\n" +
			"A revision in the file, or --if-revision, makes the update conditional: if the\n" +
			"stored revision differs, nothing is written and put exits 3. A secret given in\n" +
			"the redacted form get prints keeps the stored secret (in a free-form value too:\n" +
			"a plugin config's \"password\": \"****\"); any other redacted-looking secret is\n" +
			"refused. The entity printed has its secrets redacted, as get prints them.\n\n" + kindHelp(),
		Example: `  configstore get virtual_key vk-portal > vk.json && $EDITOR vk.json && configstore put virtual_key -f vk.json
  echo '{"name": "openai", "network_config": {"max_retries": 3}}' | configstore put provider -f -
  configstore put team -f team.json --if-revision 4`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := lookupKind(args[0])
			if err != nil {
				return err
			}
			data, err := a.readInput(file)
			if err != nil {
				return err
			}
			var expect *int64
			if cmd.Flags().Changed("if-revision") {
				expect = &ifRevision
			}
			ctx := configstore.WithSource(cmd.Context(), cliSource)
			return a.withStore(ctx, func(s *openedStore) error {
				v, created, err := k.put(ctx, s, data, expect)
				if err != nil {
					return fmt.Errorf("put %s: %w", args[0], err)
				}
				a.logger.Info("put", "kind", args[0], "id", k.id(v), "created", created)
				return a.printEntities(v, false)
			})
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the JSON file holding the entity; - reads stdin")
	cmd.Flags().Int64Var(&ifRevision, "if-revision", 0, "update only if the stored revision is this one (else exit 3)")
	_ = cmd.MarkFlagRequired("file") // the flag exists
	return cmd
}

func (a *app) deleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete KIND ID",
		Short: "Delete one entity (and what its delete rule cascades to)",
		Long: "delete deletes the entity of KIND with ID and prints, as JSON, the change-log\n" +
			"entries of everything deleted: a provider takes its keys along, a virtual key its\n" +
			"budgets, a team or customer the budgets it owns. A delete of something still in\n" +
			"use (a key a virtual key lists, a team with virtual keys, ...) is refused and\n" +
			"changes nothing.\n\n" + kindHelp(),
		Example: `  configstore delete virtual_key vk-portal
  configstore delete provider anthropic`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := lookupKind(args[0])
			if err != nil {
				return err
			}
			ctx := configstore.WithSource(cmd.Context(), cliSource)
			return a.withStore(ctx, func(s *openedStore) error {
				changes, err := deleteLogged(ctx, s, k, args[1])
				if err != nil {
					return fmt.Errorf("delete %s %q: %w", args[0], args[1], err)
				}
				return a.printJSON(changes)
			})
		},
	}
}

// deleteLogged deletes the entity of k with id and returns the change-log
// entries of its transaction: the entity and what the delete cascaded to.
// Write transactions are serialized and each raises the store revision by
// one, so the transaction's entries are those of the revision after the
// one it read.
func deleteLogged(ctx context.Context, store configstore.ConfigStore, k kind, id string) ([]configstore.Change, error) {
	var before int64
	err := store.ExecuteTransaction(ctx, func(tx configstore.ConfigStore) error {
		var err error
		if before, err = tx.Revision(ctx); err != nil {
			return err
		}
		return k.delete(ctx, tx, id)
	})
	if err != nil {
		return nil, err
	}
	changes, err := store.ListChanges(ctx, before, 0)
	if err != nil {
		return nil, err
	}
	out := []configstore.Change{}
	for _, c := range changes {
		if c.Revision == before+1 {
			out = append(out, c)
		}
	}
	return out, nil
}

// readInput reads the file put was given, or stdin for "-".
func (a *app) readInput(file string) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(a.in)
	}
	return os.ReadFile(file)
}

// printJSON prints v as indented JSON; secrets print redacted.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printEntities prints v, an entity (a pointer) or a list of them, as
// printJSON does, with secrets redacted: EnvVar fields by their
// MarshalJSON, free-form values by configstore.RedactFreeForm. v is changed
// in place. With reveal, every secret prints in its stored form instead:
// the env.NAME reference, or the literal in clear (configstore.MarshalStored,
// which sorts the entity's fields by name; free-form values keep their text).
func (a *app) printEntities(v any, reveal bool) error {
	if reveal {
		data, err := configstore.MarshalStored(v)
		if err != nil {
			return err
		}
		// Indented as printJSON writes, strings re-escaped without
		// encoding/json's HTML escapes ("<" rather than "\u003c").
		out := jsontext.Value(data)
		if err := out.Indent(jsontext.PreserveRawStrings(false), jsontext.WithIndent("  ")); err != nil {
			return err
		}
		_, err = a.out.Write(append(out, '\n'))
		return err
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	for _, item := range items {
		if err := configstore.RedactFreeForms(item); err != nil {
			return err
		}
	}
	return a.printJSON(v)
}
