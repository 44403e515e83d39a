package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun"
)

// ErrClosed is returned by a Store's Read and Write after Close.
var ErrClosed = errors.New("config store backend is closed")

// Store is a configstore.Backend over SQL databases reached through bun.
type Store struct {
	read, write *bun.DB
	dialect     Dialect
	onClose     func() error
	closed      atomic.Bool
	// writeSlot admits one writer of this process at a time, before it
	// takes a connection: writers queued for the database's write lock
	// would otherwise hold connections that readers need.
	writeSlot chan struct{}
	// readStmts and writeStmts keep the statements of each database
	// prepared; nil without Options.Prepare.
	readStmts, writeStmts *statementCache
	inProcess             bool
}

// Options configure New.
type Options struct {
	// Read runs the read-only snapshot transactions (Backend.Read).
	Read *bun.DB
	// Write runs the write transactions (Backend.Write); it may be the
	// same *bun.DB as Read.
	Write *bun.DB
	// Dialect says how this database differs.
	Dialect Dialect
	// OnClose, optional, runs after the databases are closed.
	OnClose func() error
	// Prepare makes every statement sent alone run as a prepared statement,
	// kept per database and connection: for databases where parsing a
	// statement costs more than running a point read or a one-row insert
	// (SQLite). Without it statements go as text with bind parameters
	// (what pgdriver does best: one round trip, any number of parameters).
	Prepare bool
	// InProcess: the database runs in this process (SQLite), so a read
	// costs no round trip; the Store says so (configstore.InProcess).
	InProcess bool
}

// New returns a Store over an already migrated database. The Store owns the
// databases: Close closes them.
func New(o Options) *Store {
	s := &Store{read: o.Read, write: o.Write, dialect: o.Dialect, onClose: o.OnClose, writeSlot: make(chan struct{}, 1),
		inProcess: o.InProcess}
	if o.Prepare {
		s.writeStmts, s.readStmts = newStatementCache(o.Write.DB), newStatementCache(o.Read.DB)
	}
	return s
}

var _ configstore.Backend = (*Store)(nil)

// InProcess implements configstore.InProcess: Options.InProcess.
func (s *Store) InProcess() bool { return s.inProcess }

// Read runs fn in a read-only transaction on one consistent snapshot.
func (s *Store) Read(ctx context.Context, fn func(r configstore.Reader) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	b, err := s.dialect.BeginRead(ctx, s.read)
	if err != nil {
		return s.txError(ctx, "begin read transaction", err)
	}
	t := newTxn(s.read, b, s.dialect, s.readStmts, false)
	defer func() {
		_ = t.rollback(ctx) // read-only: nothing to commit
		s.readStmts.add(ctx, t.missed)
	}()
	return fn(t)
}

// Write runs fn in a write transaction serialized against every other
// writer, and commits if fn returns nil. An error or a panic in fn rolls
// the transaction back (the panic goes on). Writers of this process queue
// here, without a connection, until their turn or the end of ctx.
func (s *Store) Write(ctx context.Context, fn func(tx configstore.Tx) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	select {
	case s.writeSlot <- struct{}{}:
		defer func() { <-s.writeSlot }()
	case <-ctx.Done():
		return fmt.Errorf("wait for the writer: %w", ctx.Err())
	}
	b, err := s.dialect.BeginWrite(ctx, s.write)
	if err != nil {
		return s.txError(ctx, "begin write transaction", err)
	}
	t := newTxn(s.write, b, s.dialect, s.writeStmts, true)
	committed := false
	defer func() {
		if !committed {
			_ = t.rollback(ctx) // also while a panic unwinds
		}
		s.writeStmts.add(ctx, t.missed) // still holding the write slot
	}()
	if err := fn(t); err != nil {
		return err
	}
	if err := t.commit(ctx); err != nil {
		return s.txError(ctx, "commit", err)
	}
	committed = true
	return nil
}

// Close closes the databases; closing again does nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	err := errors.Join(s.writeStmts.close(), s.readStmts.close(), s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.onClose != nil {
		err = errors.Join(err, s.onClose())
	}
	return err
}

func (s *Store) txError(ctx context.Context, op string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s: %w", op, ctxErr)
	}
	return fmt.Errorf("%s: %w", op, s.dialect.SafeError(err))
}
