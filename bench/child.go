package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
)

// childEnv makes the bench binary (or its test binary) run one backend
// and print the result as JSON on stdout instead of acting as the
// harness: each backend run gets its own process, so its peak RSS is its
// own and runs do not warm each other up.
const childEnv = "CONFIGSTORE_BENCH_CHILD"

// childSpec is what one child process measures.
type childSpec struct {
	Backend    string `json:"backend"`
	Size       string `json:"size"`
	Seed       uint64 `json:"seed"`
	Run        int    `json:"run"`
	PGDSN      string `json:"pg_dsn,omitempty"`
	ProfileDir string `json:"profile_dir,omitempty"`
}

// childMain runs the child side if this process is a child; it reports
// whether it was one and the exit code.
func childMain() (isChild bool, code int) {
	raw, ok := os.LookupEnv(childEnv)
	if !ok {
		return false, 0
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var spec childSpec
	if err := json.Unmarshal([]byte(raw), &spec); err != nil {
		log.Error("bench child: bad spec", "err", err)
		return true, 2
	}
	res, err := measure(context.Background(), spec, log)
	if err != nil {
		log.Error("bench child", "backend", spec.Backend, "err", err)
		return true, 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		log.Error("bench child", "err", err)
		return true, 1
	}
	return true, 0
}

// runChild measures spec in a new process of this executable; the child's
// log goes to logOut.
func runChild(ctx context.Context, spec childSpec, logOut io.Writer) (*runResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"="+string(raw))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, logOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s run %d: %w (see its log above)", spec.Backend, spec.Run, err)
	}
	var res runResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("%s run %d: bad result %q: %w", spec.Backend, spec.Run, out.String(), err)
	}
	return &res, nil
}
