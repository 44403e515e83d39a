package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// streams are the command's standard input, output and error.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

// app holds what every command shares: the streams and the global flags.
type app struct {
	streams
	appDir   string
	logLevel string
	logger   *slog.Logger
}

// run executes the command line args and returns the exit code. Errors are
// printed on stderr, one problem per line.
func run(ctx context.Context, args []string, s streams) int {
	a := &app{streams: s}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	err := root.ExecuteContext(ctx)
	if err != nil && err.Error() != "" {
		fmt.Fprintln(s.err, "configstore: "+strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	return exitCode(err)
}

const rootLong = `configstore manages a gateway's config store: it reconciles the app dir's
config.json into the store, exports the store as a config.json, reads and edits
single entities, and inspects the store's schema and environment.

The store is the one config.json's config_store section names, else SQLite
config.db in the app dir, exactly as the gateway opens it at startup.

Exit codes:
  0  success
  1  error (a bad config.json, an unreachable store, a refused write, ...)
  2  plan --detailed-exitcode: the plan changes something
  3  revision conflict: put --if-revision with a stale revision, or the store
     moved between planning and applying`

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "configstore",
		Short: "Apply, plan, export and inspect a gateway's config store",
		Long:  rootLong,
		Example: `  configstore apply --app-dir examples/quickstart
  configstore plan --app-dir /var/lib/gateway --detailed-exitcode
  configstore get virtual_key vk-portal`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		PersistentPreRunE: func(*cobra.Command, []string) error { return a.setUpLogging() },
	}
	root.PersistentFlags().StringVar(&a.appDir, "app-dir", ".", "the gateway's app dir (holds config.json and the default config.db)")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn or error")
	root.AddCommand(a.applyCommand(), a.planCommand(), a.exportCommand(),
		a.getCommand(), a.putCommand(), a.deleteCommand(),
		a.migrateCommand(), a.driversCommand(), a.doctorCommand())
	return root
}

// setUpLogging builds the logger --log-level asks for, writing text to
// stderr.
func (a *app) setUpLogging() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(a.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", a.logLevel)
	}
	a.logger = slog.New(slog.NewTextHandler(a.err, &slog.HandlerOptions{Level: level}))
	return nil
}
