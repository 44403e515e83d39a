// Command configstore is the operator's tool for a gateway's config store:
// it reconciles an app dir's config.json into the store (apply, plan),
// exports the store as a config.json, reads and edits single entities (get,
// put, delete) and inspects the store (migrate, drivers, doctor).
//
// Every command works on an app dir (--app-dir, default "."): the store is
// the one config.json's config_store section names, else SQLite config.db
// in the app dir, exactly as the gateway opens it at startup. The sqlite,
// postgres and memory backends are built in.
//
// Exit codes: 0 success; 1 error; 2 plan --detailed-exitcode found changes;
// 3 revision conflict (put --if-revision with a stale revision, or the
// store moved between plan and apply).
//
//	go run ./cmd/configstore apply --app-dir examples/quickstart
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
