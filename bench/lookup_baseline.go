package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
)

// lookupBaseline is the physical floor of GetVirtualKey: the same reads
// the store makes for one virtual key (the key's row, its provider
// configs, their key lists, its MCP configs), in one read-only
// transaction, with the plain driver in its fastest way (prepared
// statements on SQLite; on PostgreSQL text with bind parameters, which
// pgdriver sends in one round trip where a prepared statement's extended
// protocol takes longer), rows scanned and nothing decoded.
// GetVirtualKey's p50 is compared with it. Its transaction begins as
// database/sql begins one, with BEGIN in a round trip of its own: the
// PostgreSQL backend sends BEGIN with its first SELECT, one round trip
// fewer, so there it can come in under this floor.
type lookupBaseline struct {
	db                *sql.DB
	opts              *sql.TxOptions
	vk, configs, mcps baselineQuery
	// keys holds the key-list query per number of provider configs (an IN
	// list of that length, up to maxBaselineConfigs), all prepared
	// beforehand: preparing inside a transaction would wait for the
	// connection the transaction holds.
	keys map[int]baselineQuery
}

// baselineQuery is one query of the lookup baseline: its text, and its
// prepared statement where the physical database prepares.
type baselineQuery struct {
	text string
	stmt *sql.Stmt
}

// newBaselineQuery returns the query of text, prepared on db where p
// prepares.
func newBaselineQuery(ctx context.Context, db *sql.DB, p physical, text string) (baselineQuery, error) {
	q := baselineQuery{text: text}
	if !p.prepares() {
		return q, nil
	}
	var err error
	if q.stmt, err = db.PrepareContext(ctx, text); err != nil {
		return q, fmt.Errorf("baseline: prepare %q: %w", text, err)
	}
	return q, nil
}

// rows runs q in tx.
func (q baselineQuery) rows(ctx context.Context, tx *sql.Tx, args ...any) (*sql.Rows, error) {
	if q.stmt != nil {
		return tx.StmtContext(ctx, q.stmt).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, q.text, args...)
}

// exec runs q, a statement returning no rows, in tx.
func (q baselineQuery) exec(ctx context.Context, tx *sql.Tx, args ...any) (sql.Result, error) {
	if q.stmt != nil {
		return tx.StmtContext(ctx, q.stmt).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q.text, args...)
}

// close closes q's prepared statement, if any.
func (q baselineQuery) close() {
	if q.stmt != nil {
		_ = q.stmt.Close()
	}
}

// maxBaselineConfigs is the most provider configs of a virtual key the
// lookup baseline reads (the generator gives each 2).
const maxBaselineConfigs = 4

// newLookupBaseline builds, and where p prepares, prepares, the queries.
func newLookupBaseline(ctx context.Context, db *sql.DB, p physical) (*lookupBaseline, error) {
	b := &lookupBaseline{db: db, opts: p.readTx(), keys: map[int]baselineQuery{}}
	query := func(text string) (baselineQuery, error) { return newBaselineQuery(ctx, db, p, text) }
	var err error
	for n := 1; n <= maxBaselineConfigs; n++ {
		marks := make([]string, n)
		for i := range marks {
			marks[i] = p.placeholder(i + 1)
		}
		if b.keys[n], err = query("SELECT * FROM config_virtual_key_provider_config_keys WHERE provider_config_id IN (" +
			strings.Join(marks, ", ") + ") ORDER BY provider_config_id, position"); err != nil {
			return nil, err
		}
	}
	if b.vk, err = query("SELECT * FROM config_virtual_keys WHERE id = " + p.placeholder(1)); err != nil {
		return nil, err
	}
	if b.configs, err = query("SELECT * FROM config_virtual_key_provider_configs WHERE virtual_key_id = " + p.placeholder(1) + " ORDER BY position"); err != nil {
		return nil, err
	}
	if b.mcps, err = query("SELECT * FROM config_virtual_key_mcp_configs WHERE virtual_key_id = " + p.placeholder(1) + " ORDER BY position"); err != nil {
		return nil, err
	}
	return b, nil
}

// get reads virtual key id.
func (b *lookupBaseline) get(ctx context.Context, id string) error {
	tx, err := b.db.BeginTx(ctx, b.opts)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // read-only
	ids, err := scanAll(b.vk.rows(ctx, tx, id))
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return fmt.Errorf("lookup baseline: virtual key %s: %d rows", id, len(ids))
	}
	configIDs, err := scanAll(b.configs.rows(ctx, tx, id))
	if err != nil {
		return err
	}
	if len(configIDs) > 0 {
		keys, ok := b.keys[len(configIDs)]
		if !ok {
			return fmt.Errorf("lookup baseline: virtual key %s has %d provider configs, more than %d", id, len(configIDs), maxBaselineConfigs)
		}
		if _, err := scanAll(keys.rows(ctx, tx, configIDs...)); err != nil {
			return err
		}
	}
	_, err = scanAll(b.mcps.rows(ctx, tx, id))
	return err
}

// scanAll scans every row of rows and returns the first column of each
// (the row's id).
func scanAll(rows *sql.Rows, err error) ([]any, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var ids []any
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		ids = append(ids, fmt.Sprint(vals[0]))
	}
	return ids, rows.Err()
}

// close closes the prepared statements; the database is the caller's.
func (b *lookupBaseline) close() {
	for _, q := range []baselineQuery{b.vk, b.configs, b.mcps} {
		q.close()
	}
	for _, q := range b.keys {
		q.close()
	}
}

// lookupsBaseline measures the lookup baseline over random virtual keys,
// on the populated store's database, while the store is open.
func (m *measurement) lookupsBaseline() error {
	if !m.physical() {
		return nil
	}
	db, err := m.target.physical.open(m.ctx, m.db)
	if err != nil {
		return err
	}
	defer db.Close()
	b, err := newLookupBaseline(m.ctx, db, m.target.physical)
	if err != nil {
		return err
	}
	defer b.close()
	rng := rand.New(rand.NewPCG(m.spec.Seed, 40))
	lat, err := m.steps.sample("get-virtual-key-baseline", lookups, func(int) (func() error, func() error, error) {
		id := m.data.VKIDs[rng.IntN(len(m.data.VKIDs))]
		return func() error { return b.get(m.ctx, id) }, nil, nil
	})
	if err != nil {
		return err
	}
	m.result.duration(figGetBaselineP50, lat.percentile(50))
	return nil
}
