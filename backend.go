package configstore

import (
	"context"
	"encoding/json"
	"log/slog"
)

// Record is one row of a kind: field name -> value, with the Go types listed
// on FieldType. A record given to Insert or Update carries every field of
// its kind. Backends must not keep references to records they are given or
// return records that alias their internal state.
type Record map[string]any

// Op is a comparison in a Condition.
type Op int

// The comparisons a backend supports.
const (
	OpEq       Op = iota + 1 // field = Values[0] (a nil value matches NULL)
	OpIn                     // field IN Values (an empty list matches nothing)
	OpGreater                // field > Values[0]
	OpInSelect               // field IN (SELECT Select.Field FROM Select.Kind WHERE Select.Where)
)

// Condition restricts a List to rows whose field compares to Values, or,
// for OpInSelect, to the values Select selects.
type Condition struct {
	Field  string
	Op     Op
	Values []any
	Select *Select
}

// Select is the sub-query of an OpInSelect condition: the values of Field
// (NULLs left out) in the records of Kind matching every condition of
// Where (none: every record). Field has the type of the condition's field;
// JSON fields are not selectable.
type Select struct {
	Kind  *Kind
	Field string
	Where []Condition
}

// Eq is the condition field = value.
func Eq(field string, value any) Condition {
	return Condition{Field: field, Op: OpEq, Values: []any{value}}
}

// In is the condition field IN values.
func In[T any](field string, values []T) Condition {
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = v
	}
	return Condition{Field: field, Op: OpIn, Values: vs}
}

// Greater is the condition field > value.
func Greater(field string, value any) Condition {
	return Condition{Field: field, Op: OpGreater, Values: []any{value}}
}

// InSelect is the condition field IN (SELECT selected FROM kind WHERE
// where...): it lets one query select by another's result without a round
// trip in between (see BatchLister).
func InSelect(field string, kind *Kind, selected string, where ...Condition) Condition {
	return Condition{Field: field, Op: OpInSelect, Select: &Select{Kind: kind, Field: selected, Where: where}}
}

// Query selects records of one kind.
type Query struct {
	// Where holds conditions that must all hold.
	Where []Condition
	// OrderBy lists fields to sort by, ascending, NULLs last; the key always
	// breaks ties, so the order is stable. Text compares bytewise (SQL:
	// COLLATE "C"). JSON fields are not sortable.
	OrderBy []string
	// Limit caps the number of records; 0 means no limit.
	Limit int
}

// Reader reads records.
type Reader interface {
	// Get returns the record of kind with that key, or an error wrapping
	// ErrNotFound.
	Get(ctx context.Context, kind *Kind, key string) (Record, error)
	// List returns the records of kind matching q, in q's order.
	List(ctx context.Context, kind *Kind, q Query) ([]Record, error)
}

// KindQuery is one List of a batch: records of Kind matching Query.
type KindQuery struct {
	Kind  *Kind
	Query Query
}

// BatchLister is an optional interface of a Reader (and of a Tx, as a
// Reader). ListBatch returns, for each of lists, what List returns for it,
// in one call: on a backend whose every statement is a round trip to a
// server, one round trip for all of them. The lists see one snapshot, as
// the calls of a read do; they cannot depend on one another's results,
// except through OpInSelect conditions. A list List would refuse fails
// the batch, and a failed batch reads nothing. The portable layer makes
// these calls one by one on a Reader without it.
type BatchLister interface {
	ListBatch(ctx context.Context, lists []KindQuery) ([][]Record, error)
}

// Tx is a write transaction. A call that fails changes nothing, and the
// transaction stays usable (SQL backends wrap each statement in a
// savepoint), so the portable layer can report the error and go on.
type Tx interface {
	Reader
	// Insert adds records. A taken key or unique field is ErrAlreadyExists,
	// a reference to a missing row ErrInvalidReference.
	Insert(ctx context.Context, kind *Kind, records ...Record) error
	// Update replaces the record with the same key, provided its stored
	// "revision" field equals expectedRevision: ErrNotFound if there is no
	// such record, ErrConflict if the revision differs.
	Update(ctx context.Context, kind *Kind, record Record, expectedRevision int64) error
	// Delete removes the records with these keys and applies the kind
	// declarations' delete rules: Cascade referrers go too, Restrict
	// referrers make it fail with ErrReferenced. A missing key is ErrNotFound.
	Delete(ctx context.Context, kind *Kind, keys ...string) error
}

// BulkInserter is an optional interface of a Tx. InsertBulk inserts
// records as Insert does, for a caller that gives the transaction up when
// the call fails (Write's fn returns an error, and everything rolls back):
// a failure need not leave the transaction as it was, so the backend may
// skip what makes a failed insert change nothing and send the records the
// way its database takes fastest without it. The portable layer inserts
// the batches of WithBatchedInserts this way.
type BulkInserter interface {
	InsertBulk(ctx context.Context, kind *Kind, records ...Record) error
}

// CommitInserter is an optional interface of a Tx that can send an insert
// together with its commit: on a backend whose every statement is a round
// trip to a server, that is one round trip fewer per write transaction.
// The portable layer writes its change log this way.
type CommitInserter interface {
	// InsertAtCommit checks records as Insert does and inserts them when
	// the transaction commits, after its other writes. A record Insert
	// would refuse before sending it (a missing field, a value of the
	// wrong type) is an error here and changes nothing. A failure the
	// database reports (a taken key) fails the commit instead, and so
	// rolls back the whole transaction. Whether reads in the transaction
	// see the records is up to the backend.
	InsertAtCommit(ctx context.Context, kind *Kind, records ...Record) error
}

// Pipeliner is an optional interface of a Tx. Pipeline tells the backend
// that its caller gives the transaction up at the first call that fails
// (Write's fn returns the error, and everything rolls back), so a failed
// call need not leave the transaction usable. The backend may then hold
// back a write whose outcome it knows (an Update of a row the transaction
// read, under its write lock) and send it with its next statement, a
// round trip fewer; a failure of the write is then the error of that next
// call, or of the commit, naming the write. The portable layer pipelines
// every write that is a transaction of its own.
type Pipeliner interface {
	Pipeline()
}

// Expecter is an optional interface of a Tx. Expect tells the backend,
// before the transaction's first call, that the caller believes record
// (every field of kind, which has a "revision" field) to be stored as it
// is: the caller committed it last, in an earlier transaction. The backend
// may check that, as its revision, with the commands that begin the
// transaction once its write lock is taken, and count the row as one the
// transaction read: in a pipelined transaction (see Pipeliner) an Update
// of it at that revision is then a write whose outcome it knows. When the
// check fails, the transaction goes on as if Expect had not been called;
// a backend may check only some of a transaction's expectations, and
// those it does not check are as if not made (PostgreSQL checks the first
// when it is of the store revision's row, SQLite none).
// The portable layer expects the store revision it raised last, so that
// raising it again can go with the commit.
type Expecter interface {
	Expect(kind *Kind, record Record)
}

// LastReader is an optional interface of the Reader that Backend.Read
// hands fn. Last tells the backend that fn's next call is its last one, so
// the backend may end the snapshot with it: on a backend whose every
// statement is a round trip to a server, that is one round trip fewer per
// read, and a read of one call needs no transaction at all. fn makes no
// call after that one (the backend may refuse it); if that call fails, the
// backend ends the snapshot as it would have without Last. A ListBatch
// (see BatchLister) is one call.
type LastReader interface {
	Last()
}

// SnapshotVersions is an optional interface of the Reader that Backend.Read
// hands fn, for a backend whose snapshots are immutable values in the
// process (the memory backend). Its versions let the portable layer keep
// the entities it decoded and hand out copies of them again while their
// rows are unchanged, without reading them (see readCache). A row's or a
// kind's version is a comparable value; it must not be equal to a version
// of a later state of its row or kind while a caller holds it.
type SnapshotVersions interface {
	// Version returns the version of this snapshot: equal to another
	// snapshot's only if nothing was written in between.
	Version() uint64
	// RowVersion returns the version of the row of kind with key in this
	// snapshot; ok is false when there is no such row. It is equal to the
	// row's version in another snapshot only if the row was not written in
	// between.
	RowVersion(kind *Kind, key string) (version any, ok bool)
	// KindVersion returns the version of kind's rows in this snapshot:
	// equal to their version in another snapshot only if no row of kind
	// was written in between.
	KindVersion(kind *Kind) any
}

// InProcess is an optional interface of a Backend. InProcess reports
// whether the database runs in this process (SQLite), so that a read costs
// no round trip to a server: the portable layer then keeps the entities it
// decoded, as for SnapshotVersions, and checks them against the change log
// instead. A read of an entity kept at the store revision that the
// snapshot holds is then one read of the revision (see readCache).
type InProcess interface {
	InProcess() bool
}

// Backend is what a driver implements: generic records of the declared kinds
// (Kinds), read in snapshots and written in transactions. The typed
// ConfigStore is built on it once, for every backend (see New).
type Backend interface {
	// Read runs fn against one consistent snapshot: every read inside sees
	// the same committed state, never part of a concurrent write.
	Read(ctx context.Context, fn func(r Reader) error) error
	// Write runs fn in a transaction and commits if fn returns nil. Write
	// transactions are serialized (across processes sharing the store, too);
	// an error or a panic in fn rolls everything back (the panic is
	// re-raised). Readers never wait for a writer and never see uncommitted
	// changes. A read-only backend returns ErrReadOnly without calling fn.
	Write(ctx context.Context, fn func(tx Tx) error) error
	// Close releases the backend's resources.
	Close() error
}

// Driver opens backends. Drivers register themselves with Register.
type Driver interface {
	// Open opens a backend from the driver's own JSON configuration (the
	// "config" object of the config_store section, possibly empty).
	Open(ctx context.Context, config json.RawMessage, opts OpenOptions) (Backend, error)
}

// DriverFunc adapts a function to the Driver interface.
type DriverFunc func(ctx context.Context, config json.RawMessage, opts OpenOptions) (Backend, error)

// Open calls f.
func (f DriverFunc) Open(ctx context.Context, config json.RawMessage, opts OpenOptions) (Backend, error) {
	return f(ctx, config, opts)
}

// OpenOptions are the settings Open hands every driver besides its config.
type OpenOptions struct {
	// BaseDir resolves relative paths in the driver's config (the gateway's
	// app dir). Empty means the working directory.
	BaseDir string
	// Logger receives the driver's logs; never nil when a driver sees it.
	Logger *slog.Logger
	// SkipMigrations asks a driver whose schema is versioned by migrations
	// to open the database without applying the pending ones (see
	// WithoutMigrations), so that its Migrator reports them. The backend
	// is then for MigrationStatus only. Drivers without migrations ignore
	// it.
	SkipMigrations bool
}
