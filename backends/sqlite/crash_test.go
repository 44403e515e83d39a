package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gatewaykit/configstore"
	"github.com/gatewaykit/configstore/backends/internal/backendtest"
)

// crashChildEnv makes the test binary act as the writer that gets killed:
// its value is the database file.
const crashChildEnv = "CONFIGSTORE_SQLITE_CRASH_CHILD"

// crashReady is the line the child prints once its uncommitted writes are
// done.
const crashReady = "configstore-crash-child: writes done, not committed"

// TestKilledWriterLeavesPreviousState: a writer process killed with
// SIGKILL in the middle of a write transaction, after enough writes that
// SQLite spilled uncommitted pages into the WAL file, leaves the previous
// state on reopen, and the write lock free.
func TestKilledWriterLeavesPreviousState(t *testing.T) {
	rl := backendtest.Kind(t, "rate_limit")
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(t, path, rl)
		return
	}
	path := filepath.Join(t.TempDir(), "config.db")
	b := openFile(t, path)
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "kept", map[string]any{"token_reset_duration": "1h"}))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesPreviousState$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	ready := false
	for !ready && lines.Scan() {
		ready = strings.Contains(lines.Text(), crashReady)
	}
	if !ready {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the child exited without reaching its uncommitted writes (%v)", lines.Err())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the child was not killed: %v", err)
	}
	// The scenario needs uncommitted pages in the WAL file, which recovery
	// must ignore.
	if info, err := os.Stat(path + "-wal"); err != nil || info.Size() < 1<<20 {
		t.Fatalf("the child left no uncommitted pages in the WAL file (%v)", err)
	}

	b = openFile(t, path)
	defer b.Close()
	got := backendtest.Get(t, b, rl, "kept")
	if got == nil || got["revision"] != int64(1) || got["token_reset_duration"] != "1h" {
		t.Fatalf("after the crash: %v, want revision 1 and 1h", got)
	}
	var n int
	err = b.Read(context.Background(), func(r configstore.Reader) error {
		recs, err := r.List(context.Background(), rl, configstore.Query{})
		n = len(recs)
		return err
	})
	if err != nil || n != 1 {
		t.Fatalf("after the crash: %d rate limits (%v), want only the one committed before", n, err)
	}
	// The killed writer's lock is gone: writing works at once.
	backendtest.Insert(t, b, rl, backendtest.Record(t, rl, "after", nil))
}

// crashChild opens the store, updates and inserts in a write transaction,
// announces it on stdout and waits to be killed.
func crashChild(t *testing.T, path string, rl *configstore.Kind) {
	b := openFile(t, path)
	err := b.Write(context.Background(), func(tx configstore.Tx) error {
		ctx := context.Background()
		next := backendtest.Record(t, rl, "kept", map[string]any{"token_reset_duration": "changed", "revision": int64(2)})
		if err := tx.Update(ctx, rl, next, 1); err != nil {
			return err
		}
		// About 10 MB: more than SQLite's page cache holds, so pages of the
		// uncommitted transaction are written to the WAL file.
		padding := strings.Repeat("x", 2000)
		for i := range 5000 {
			rec := backendtest.Record(t, rl, fmt.Sprintf("uncommitted-%04d", i), map[string]any{"token_reset_duration": padding})
			if err := tx.Insert(ctx, rl, rec); err != nil {
				return err
			}
		}
		fmt.Println(crashReady)
		select {} // killed here
	})
	t.Fatalf("crash child: the write ended: %v", err)
}
