// Command bench measures configstore on its backends with a synthetic
// config.json, against a physical baseline measured in the same run:
//
//	go run ./bench [-size S|M|L] [-backend memory,sqlite,postgres] [-runs N] [-json]
//
// Per backend it measures: (1) opening and migrating a fresh store; (2)
// the cold apply of the file through reconcile.Startup; (3) a no-op
// re-apply of the same file and the rows it wrote; (4) GetVirtualKey and
// GetVirtualKeyByValue p50/p99 over 10,000 random lookups, and on SQL
// backends the physical floor of one lookup (the same reads as prepared
// statements of the plain driver, in one read transaction); (5) 1,000
// sequential UpdateVirtualKey p50/p99; (6) 8 goroutines x 200
// read-modify-write budget updates: wall time, errors, lost updates; (7)
// reopening the populated store and listing every virtual key; (8) peak
// RSS from the cold apply on (the generator's own is not counted); and the
// baseline: the store's rows inserted into a fresh database
// of the same backend with the plain driver in one transaction (prepared
// statements on SQLite, COPY on PostgreSQL). Each backend run is its own
// process in its own temp app dir (and, on PostgreSQL, its own databases),
// removed afterwards. See README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// options are the harness's command-line settings.
type options struct {
	Size       string
	Backends   []string
	Runs       int
	Seed       uint64
	JSON       bool
	PGDSN      string
	ProfileDir string
}

func main() {
	if isChild, code := childMain(); isChild {
		os.Exit(code)
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	rep, err := harness(context.Background(), opts, os.Stderr)
	if rep != nil {
		write := rep.writeTable
		if opts.JSON {
			write = rep.writeJSON
		}
		if werr := write(os.Stdout); werr != nil && err == nil {
			err = werr
		}
		if !opts.JSON {
			fmt.Println("\n" + rep.summary())
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseFlags parses the command line.
func parseFlags(args []string) (options, error) {
	var o options
	var backends string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.Size, "size", "L", "config.json size: S, M or L (L: 10,000 virtual keys; M and S a tenth and a hundredth)")
	fs.StringVar(&backends, "backend", "memory,sqlite,postgres", "comma-separated backends to measure")
	fs.IntVar(&o.Runs, "runs", 1, "runs per backend; figures are their medians")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generated config.json and of the random lookups")
	fs.BoolVar(&o.JSON, "json", false, "print the report as JSON")
	fs.StringVar(&o.PGDSN, "pg-dsn", postgresDSN(),
		"PostgreSQL server to create the bench databases on (default: $CONFIGSTORE_TEST_POSTGRES_DSN or the local server)")
	fs.StringVar(&o.ProfileDir, "cpuprofile", "", "directory to write one CPU profile per backend, run and step into")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if _, err := parseSize(o.Size); err != nil {
		return o, err
	}
	if o.Runs < 1 {
		return o, fmt.Errorf("-runs %d: want at least 1", o.Runs)
	}
	for _, b := range strings.Split(backends, ",") {
		b = strings.TrimSpace(b)
		switch b {
		case "memory", "sqlite", "postgres":
			o.Backends = append(o.Backends, b)
		default:
			return o, fmt.Errorf("-backend: unknown backend %q: want memory, sqlite or postgres", b)
		}
	}
	if o.ProfileDir != "" {
		if err := os.MkdirAll(o.ProfileDir, 0o755); err != nil {
			return o, err
		}
	}
	return o, nil
}

// harness measures every backend of opts, each run in a child process,
// and returns the report. A backend that cannot run (PostgreSQL
// unreachable) is skipped with the reason; one whose run fails is reported
// as failed, and harness returns an error after measuring the others.
func harness(ctx context.Context, opts options, log io.Writer) (*report, error) {
	sz, _ := parseSize(opts.Size) // parseFlags checked it
	rep := &report{Size: sz.Name, Contents: sz.String(), Runs: opts.Runs, Seed: opts.Seed}
	var failed []string
	for _, backend := range opts.Backends {
		if backend == "postgres" {
			if err := checkPostgres(ctx, opts.PGDSN); err != nil {
				reason := fmt.Sprintf("PostgreSQL unreachable (%v); set -pg-dsn or CONFIGSTORE_TEST_POSTGRES_DSN", err)
				fmt.Fprintf(log, "bench: skipping postgres: %s\n", reason)
				rep.Backends = append(rep.Backends, backendReport{Backend: backend, Skipped: reason})
				continue
			}
		}
		var runs []*runResult
		var err error
		for run := 1; run <= opts.Runs && err == nil; run++ {
			var res *runResult
			res, err = runChild(ctx, childSpec{Backend: backend, Size: opts.Size, Seed: opts.Seed, Run: run,
				PGDSN: opts.PGDSN, ProfileDir: opts.ProfileDir}, log)
			runs = append(runs, res)
		}
		if err != nil {
			failed = append(failed, err.Error())
			rep.Backends = append(rep.Backends, backendReport{Backend: backend, Failed: err.Error()})
			continue
		}
		rep.Backends = append(rep.Backends, aggregate(backend, runs))
	}
	if len(failed) > 0 {
		return rep, fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	return rep, nil
}
