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
// transaction, as prepared statements of the plain driver, rows scanned
// and nothing decoded. GetVirtualKey's p50 is compared with it.
type lookupBaseline struct {
	db      *sql.DB
	opts    *sql.TxOptions
	vk      *sql.Stmt
	configs *sql.Stmt
	mcps    *sql.Stmt
	// keys holds the key-list statement per number of provider configs
	// (an IN list of that length, up to maxBaselineConfigs). They are
	// prepared beforehand: preparing inside a transaction would wait for
	// the connection the transaction holds.
	keys map[int]*sql.Stmt
}

// maxBaselineConfigs is the most provider configs of a virtual key the
// lookup baseline reads (the generator gives each 2).
const maxBaselineConfigs = 4

// newLookupBaseline prepares the statements on db.
func newLookupBaseline(ctx context.Context, db *sql.DB, p physical) (*lookupBaseline, error) {
	b := &lookupBaseline{db: db, opts: p.readTx(), keys: map[int]*sql.Stmt{}}
	var err error
	for n := 1; n <= maxBaselineConfigs; n++ {
		marks := make([]string, n)
		for i := range marks {
			marks[i] = p.placeholder(i + 1)
		}
		query := "SELECT * FROM config_virtual_key_provider_config_keys WHERE provider_config_id IN (" +
			strings.Join(marks, ", ") + ") ORDER BY provider_config_id, position"
		if b.keys[n], err = db.PrepareContext(ctx, query); err != nil {
			return nil, fmt.Errorf("lookup baseline: prepare %q: %w", query, err)
		}
	}
	for _, s := range []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&b.vk, "SELECT * FROM config_virtual_keys WHERE id = " + p.placeholder(1)},
		{&b.configs, "SELECT * FROM config_virtual_key_provider_configs WHERE virtual_key_id = " + p.placeholder(1) + " ORDER BY position"},
		{&b.mcps, "SELECT * FROM config_virtual_key_mcp_configs WHERE virtual_key_id = " + p.placeholder(1) + " ORDER BY position"},
	} {
		if *s.stmt, err = db.PrepareContext(ctx, s.query); err != nil {
			return nil, fmt.Errorf("lookup baseline: prepare %q: %w", s.query, err)
		}
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
	n, _, err := scanAll(ctx, tx.StmtContext(ctx, b.vk), id)
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("lookup baseline: virtual key %s: %d rows", id, n)
	}
	_, configIDs, err := scanAll(ctx, tx.StmtContext(ctx, b.configs), id)
	if err != nil {
		return err
	}
	if len(configIDs) > 0 {
		keys, ok := b.keys[len(configIDs)]
		if !ok {
			return fmt.Errorf("lookup baseline: virtual key %s has %d provider configs, more than %d", id, len(configIDs), maxBaselineConfigs)
		}
		if _, _, err := scanAll(ctx, tx.StmtContext(ctx, keys), configIDs...); err != nil {
			return err
		}
	}
	_, _, err = scanAll(ctx, tx.StmtContext(ctx, b.mcps), id)
	return err
}

// scanAll runs stmt and scans every row; it returns the number of rows and
// the first column of each (the row's id).
func scanAll(ctx context.Context, stmt *sql.Stmt, args ...any) (int, []any, error) {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, nil, err
	}
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	n := 0
	var ids []any
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, nil, err
		}
		n++
		ids = append(ids, fmt.Sprint(vals[0]))
	}
	return n, ids, rows.Err()
}

// close closes the statements; the database is the caller's.
func (b *lookupBaseline) close() {
	for _, s := range []*sql.Stmt{b.vk, b.configs, b.mcps} {
		_ = s.Close()
	}
	for _, s := range b.keys {
		_ = s.Close()
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
	lat, err := m.steps.sample("get-virtual-key-baseline", lookups, func(int) (func() error, error) {
		id := m.data.VKIDs[rng.IntN(len(m.data.VKIDs))]
		return func() error { return b.get(m.ctx, id) }, nil
	})
	if err != nil {
		return err
	}
	m.result.duration(figGetBaselineP50, lat.percentile(50))
	return nil
}
