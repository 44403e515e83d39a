package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
)

// updateBaseline is the physical floor of UpdateVirtualKey: one UPDATE of
// a virtual key's description in a transaction of its own, committed as
// durably as the store commits (the connection of lookupBaseline's
// physical open: on SQLite the store's pragmas), with the plain driver, a
// prepared statement where the database prepares. UpdateVirtualKey's p50
// is compared with it: the store's update also checks the write lock,
// reads the row, raises the revisions and logs the change.
type updateBaseline struct {
	db    *sql.DB
	query baselineQuery
}

// update sets the description of virtual key id.
func (b *updateBaseline) update(ctx context.Context, id, description string) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after Commit: a no-op
	res, err := b.query.exec(ctx, tx, description, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("update baseline: virtual key %s: %d rows updated (%v)", id, n, err)
	}
	return tx.Commit()
}

// updatesBaseline measures the update baseline over random virtual keys,
// on the populated store's database, while the store is open.
func (m *measurement) updatesBaseline() error {
	if !m.physical() {
		return nil
	}
	p := m.target.physical
	db, err := p.open(m.ctx, m.db)
	if err != nil {
		return err
	}
	defer db.Close()
	query, err := newBaselineQuery(m.ctx, db, p,
		"UPDATE config_virtual_keys SET description = "+p.placeholder(1)+" WHERE id = "+p.placeholder(2))
	if err != nil {
		return err
	}
	defer query.close()
	b := &updateBaseline{db: db, query: query}
	rng := rand.New(rand.NewPCG(m.spec.Seed, 50))
	lat, err := m.steps.sample("update-virtual-key-baseline", updates, func(i int) (func() error, func() error, error) {
		id := m.data.VKIDs[rng.IntN(len(m.data.VKIDs))]
		description := fmt.Sprintf("baseline update %04d", i)
		return func() error { return b.update(m.ctx, id, description) }, nil, nil
	})
	if err != nil {
		return err
	}
	m.result.duration(figUpdateBaselineP50, lat.percentile(50))
	return nil
}
