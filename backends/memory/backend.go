package memory

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gatewaykit/configstore"
)

// Backend is an in-memory configstore.Backend. It is safe for concurrent
// use. Create it with New or through the registered driver.
type Backend struct {
	schema *schema
	// state is the committed snapshot. A view stored here is never
	// modified again.
	state atomic.Pointer[view]
	// writer serializes write transactions: a one-slot semaphore (a mutex
	// that a waiting writer can abandon when its context ends).
	writer chan struct{}
	// commitMu orders commits against Seal and Close, so that nothing
	// commits after either returns. It is never held while user code runs.
	commitMu sync.Mutex
	readOnly atomic.Bool
	closed   atomic.Bool
}

var _ configstore.Backend = (*Backend)(nil)

// New returns an empty backend for every declared kind (configstore.Kinds).
func New(opts Options) *Backend {
	return newBackend(configstore.Kinds(), opts)
}

// newBackend returns an empty backend for kinds.
func newBackend(kinds []*configstore.Kind, opts Options) *Backend {
	s := newSchema(kinds)
	b := &Backend{schema: s, writer: make(chan struct{}, 1)}
	empty := emptyView(s)
	b.state.Store(&empty)
	b.readOnly.Store(opts.ReadOnly)
	return b
}

// Seal makes the backend read-only from now on: every later Write fails
// with configstore.ErrReadOnly, and a write transaction still running when
// Seal is called fails the same way instead of committing. File-only mode
// loads config.json into a backend and then seals it. Seal never waits for
// a running transaction, so it may be called from inside one.
func (b *Backend) Seal() {
	b.commitMu.Lock()
	defer b.commitMu.Unlock()
	b.readOnly.Store(true)
}

// ReadOnly reports whether writes are refused (Options.ReadOnly or Seal).
func (b *Backend) ReadOnly() bool { return b.readOnly.Load() }

// Close releases the stored data. Every later call fails with ErrClosed;
// Close itself is idempotent. A Read already running keeps its snapshot.
func (b *Backend) Close() error {
	b.commitMu.Lock()
	defer b.commitMu.Unlock()
	if b.closed.Swap(true) {
		return nil
	}
	empty := emptyView(b.schema)
	empty.seq = b.state.Load().seq + 1
	b.state.Store(&empty)
	return nil
}

// Read runs fn against the snapshot committed when Read starts. It never
// waits for a writer, and fn sees no change committed after it started.
// The Reader is safe for concurrent use within fn.
func (b *Backend) Read(ctx context.Context, fn func(r configstore.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.closed.Load() {
		return ErrClosed
	}
	return fn(snapshotReader{v: b.state.Load()})
}

// Write runs fn in a transaction. Transactions are serialized; a waiting
// one gives up with ctx.Err() when ctx ends. fn works on a private
// copy-on-write view of the committed state, which becomes the committed
// state in one atomic step if fn returns nil (and ctx has not ended). If
// fn returns an error, Write returns it unchanged and nothing is
// committed; if fn panics, nothing is committed and the panic continues.
// A read-only backend returns an error wrapping configstore.ErrReadOnly
// without calling fn.
func (b *Backend) Write(ctx context.Context, fn func(tx configstore.Tx) error) error {
	if err := b.writable(ctx); err != nil {
		return err
	}
	select {
	case b.writer <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-b.writer }()
	// Seal or Close may have happened while this writer waited.
	if err := b.writable(ctx); err != nil {
		return err
	}
	t := newTx(b.state.Load())
	// finish runs on every path out, a panic in fn included: the view is
	// discarded and the transaction refuses further use.
	defer t.finish()
	if err := fn(t); err != nil {
		return err
	}
	t.finish()
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.commit(t)
}

// writable returns the error that refuses a write now, if any.
func (b *Backend) writable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.closed.Load() {
		return ErrClosed
	}
	if b.readOnly.Load() {
		return fmt.Errorf("memory: write refused: %w", configstore.ErrReadOnly)
	}
	return nil
}

// commit makes t's view the committed state. The caller holds the writer
// slot, so the committed state is still the one t started from.
func (b *Backend) commit(t *tx) error {
	b.commitMu.Lock()
	defer b.commitMu.Unlock()
	if b.closed.Load() {
		return ErrClosed
	}
	if b.readOnly.Load() {
		return fmt.Errorf("memory: commit refused, the store was sealed during the transaction: %w", configstore.ErrReadOnly)
	}
	if len(t.dirty) == 0 {
		return nil
	}
	for name := range t.dirty {
		t.view.tables[name].freeze()
	}
	next := t.view
	next.seq = b.state.Load().seq + 1
	b.state.Store(&next)
	return nil
}
