package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/gatewaykit/configstore"
	_ "github.com/gatewaykit/configstore/backends/memory"
	_ "github.com/gatewaykit/configstore/backends/postgres"
	_ "github.com/gatewaykit/configstore/backends/sqlite"
	"github.com/gatewaykit/configstore/configfile"
	"github.com/gatewaykit/configstore/reconcile"
)

// The measurement's fixed counts (the issue's).
const (
	lookups             = 10_000
	updates             = 1_000
	contentionWriters   = 8
	contentionPerWriter = 200
)

// runResult is what one backend run measured: figure ID -> value in the
// figure's unit.
type runResult struct {
	Backend string             `json:"backend"`
	Figures map[string]float64 `json:"figures"`
}

func (r *runResult) duration(id string, d time.Duration) { r.Figures[id] = float64(d) }
func (r *runResult) count(id string, n int)              { r.Figures[id] = float64(n) }

// measurement is one backend run in progress.
type measurement struct {
	ctx    context.Context
	spec   childSpec
	data   *dataset
	target *target
	steps  *stepRunner
	result *runResult
	store  configstore.ConfigStore // the open store, nil when closed
	db     database                // the store's database
	// coldRevision is the store revision the cold apply committed.
	coldRevision int64
	quiet        *slog.Logger // for the store: the harness logs the steps
}

// measure runs every step on one backend, in a new temp app dir that it
// removes afterwards.
func measure(ctx context.Context, spec childSpec, log *slog.Logger) (*runResult, error) {
	sz, err := parseSize(spec.Size)
	if err != nil {
		return nil, err
	}
	appDir, err := os.MkdirTemp("", "configstore-bench-"+spec.Backend+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(appDir)
	t, err := newTarget(ctx, spec.Backend, appDir, spec.PGDSN)
	if err != nil {
		return nil, err
	}
	m := &measurement{ctx: ctx, spec: spec, data: generate(sz, spec.Seed), target: t,
		steps:  &stepRunner{backend: fmt.Sprintf("%s-run%d", spec.Backend, spec.Run), profileDir: spec.ProfileDir, log: log},
		result: &runResult{Backend: spec.Backend, Figures: map[string]float64{}},
		quiet:  slog.New(slog.DiscardHandler)}
	err = m.all()
	if m.store != nil {
		err = errors.Join(err, m.store.Close())
	}
	err = errors.Join(err, t.cleanup())
	if err != nil {
		return nil, err
	}
	return m.result, nil
}

// all runs the steps in order.
func (m *measurement) all() error {
	for _, step := range []func() error{m.openFresh, m.coldApply, m.noopApply, m.lookups, m.lookupsBaseline, m.updates,
		m.updatesBaseline, m.contention, m.reopenAndList, m.peakRSS, m.baseline} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// open opens the store's database with configstore.Open, as the gateway's
// app dir has it.
func (m *measurement) open() (configstore.ConfigStore, error) {
	return configstore.Open(m.ctx, m.db.Store, configstore.WithBaseDir(m.target.appDir), configstore.WithLogger(m.quiet))
}

// closeStore closes the open store.
func (m *measurement) closeStore() error {
	err := m.store.Close()
	m.store = nil
	return err
}

// physical reports whether the store survives a close (not memory).
func (m *measurement) physical() bool { return m.target.physical != nil }

// (1) Open a new, empty database: connect and apply every migration.
func (m *measurement) openFresh() error {
	var err error
	if m.db, err = m.target.fresh(m.ctx, "store"); err != nil {
		return err
	}
	d, err := m.steps.run("open", func() error {
		s, err := m.open()
		if err != nil {
			return err
		}
		return s.Close()
	})
	m.result.duration(figOpen, d)
	return err
}

// (2) Cold apply: write config.json naming the migrated, empty database
// and run the gateway's startup on the app dir: load and decode the file,
// open the store, plan, apply in one transaction. Parsing alone is
// measured first, for the breakdown.
func (m *measurement) coldApply() error {
	if err := m.data.writeConfig(m.target.appDir, m.db.Store); err != nil {
		return err
	}
	m.data.entities = fileEntities{} // written: the harness keeps only what it looks up
	if err := startPeakRSS(); err != nil {
		return err
	}
	d, err := m.steps.run("parse", func() error {
		_, err := configfile.Load(m.configPath())
		return err
	})
	if err != nil {
		return err
	}
	m.result.duration(figParse, d)
	d, err = m.steps.run("cold-apply", m.startup)
	if err != nil {
		return err
	}
	m.result.duration(figColdApply, d)
	changes, err := m.store.ListChanges(m.ctx, 0, 0)
	if err != nil {
		return err
	}
	m.result.count(figColdChanges, len(changes))
	if m.coldRevision, err = m.store.Revision(m.ctx); err != nil {
		return err
	}
	if len(changes) < m.data.Entities {
		return fmt.Errorf("cold apply logged %d changes for the file's %d entities", len(changes), m.data.Entities)
	}
	return nil
}

func (m *measurement) configPath() string { return filepath.Join(m.target.appDir, "config.json") }

// startup runs reconcile.Startup on the app dir and keeps its store open.
func (m *measurement) startup() error {
	res, err := reconcile.Startup(m.ctx, m.target.appDir, reconcile.Options{Logger: m.quiet})
	if err != nil {
		return err
	}
	m.store = res.Store
	if !res.Applied || res.Setup != reconcile.SetupConfiguredStore {
		return fmt.Errorf("startup: setup %q, applied %v; want %q, applied", res.Setup, res.Applied, reconcile.SetupConfiguredStore)
	}
	return nil
}

// (3) No-op re-apply of the same file: on SQL backends a restart (close,
// then the same startup as the cold apply); the memory store does not
// survive a close, so it is reconciled again into the open store. Either
// finds the reconcile mark the cold apply left. Then the plan that
// compares every entity, which the mark spares the no-op.
// Rows written: the change-log entries after the revision before, and on
// SQL backends any table whose row count or revision sum moved.
func (m *measurement) noopApply() error {
	before, err := m.store.Revision(m.ctx)
	if err != nil {
		return err
	}
	var prints map[string][2]int64
	var d time.Duration
	if m.physical() {
		if err := m.closeStore(); err != nil {
			return err
		}
		if prints, err = m.fingerprint(); err != nil {
			return err
		}
		d, err = m.steps.run("noop-apply", m.startup)
	} else {
		d, err = m.steps.run("noop-apply", m.reapply)
	}
	if err != nil {
		return err
	}
	m.result.duration(figNoopApply, d)
	changes, err := m.store.ListChanges(m.ctx, before, 0)
	if err != nil {
		return err
	}
	written := len(changes)
	if prints != nil {
		after, err := m.fingerprint()
		if err != nil {
			return err
		}
		for _, table := range slices.Sorted(maps.Keys(after)) {
			if after[table] != prints[table] {
				m.steps.log.Warn("no-op re-apply changed a table", "table", table, "before", prints[table], "after", after[table])
				written = max(written, 1)
			}
		}
	}
	m.result.count(figNoopRows, written)
	d, err = m.steps.run("plan-all", m.planAll)
	m.result.duration(figPlanAll, d)
	return err
}

// planAll loads config.json and plans it against the open store comparing
// every entity, as `configstore plan` does: the no-op re-apply skips that
// comparison when the store's reconcile mark shows that neither the file
// nor the store changed since the cold apply.
func (m *measurement) planAll() error {
	file, err := configfile.Load(m.configPath())
	if err != nil {
		return err
	}
	_, err = reconcile.Plan(m.ctx, m.store, file, file.SourceOfTruth)
	return err
}

// reapply plans and applies config.json into the open store, as Startup
// does after opening it.
func (m *measurement) reapply() error {
	document, err := os.ReadFile(m.configPath())
	if err != nil {
		return err
	}
	_, _, err = reconcile.Reconcile(m.ctx, m.store, document, reconcile.Options{})
	return err
}

// fingerprint reads the fingerprint of the store's tables with the plain
// driver.
func (m *measurement) fingerprint() (map[string][2]int64, error) {
	db, err := m.target.physical.open(m.ctx, m.db)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return fingerprint(m.ctx, db)
}

// (4) Point lookups of random virtual keys, by id and by value.
func (m *measurement) lookups() error {
	rng := rand.New(rand.NewPCG(m.spec.Seed, 4))
	n := len(m.data.VKIDs)
	byID, err := m.steps.sample("get-virtual-key", lookups, func(int) (func() error, func() error, error) {
		id := m.data.VKIDs[rng.IntN(n)]
		return m.lookup(func() (*configstore.VirtualKey, error) { return m.store.GetVirtualKey(m.ctx, id) }, id)
	})
	if err != nil {
		return err
	}
	byValue, err := m.steps.sample("get-virtual-key-by-value", lookups, func(int) (func() error, func() error, error) {
		i := rng.IntN(n)
		value := m.data.VKValues[i]
		return m.lookup(func() (*configstore.VirtualKey, error) { return m.store.GetVirtualKeyByValue(m.ctx, value) }, m.data.VKIDs[i])
	})
	if err != nil {
		return err
	}
	m.result.duration(figGetP50, byID.percentile(50))
	m.result.duration(figGetP99, byID.percentile(99))
	m.result.duration(figGetByValueP50, byValue.percentile(50))
	m.result.duration(figGetByValueP99, byValue.percentile(99))
	return nil
}

// lookup returns, for sample, the op that makes the lookup get and the
// check that it found the virtual key id, with its provider configs.
func (m *measurement) lookup(get func() (*configstore.VirtualKey, error), id string) (op, check func() error, err error) {
	var vk *configstore.VirtualKey
	op = func() (err error) {
		vk, err = get()
		return err
	}
	check = func() error {
		if vk.ID != id || len(vk.ProviderConfigs) == 0 {
			return fmt.Errorf("looked up %s, got %s with %d provider configs", id, vk.ID, len(vk.ProviderConfigs))
		}
		return nil
	}
	return op, check, nil
}

// (5) Sequential updates of random virtual keys (each read first, untimed).
func (m *measurement) updates() error {
	rng := rand.New(rand.NewPCG(m.spec.Seed, 5))
	lat, err := m.steps.sample("update-virtual-key", updates, func(i int) (func() error, func() error, error) {
		vk, err := m.store.GetVirtualKey(m.ctx, m.data.VKIDs[rng.IntN(len(m.data.VKIDs))])
		if err != nil {
			return nil, nil, err
		}
		vk.Description = fmt.Sprintf("bench update %04d", i)
		return func() error { return m.store.UpdateVirtualKey(m.ctx, vk) }, nil, nil
	})
	if err != nil {
		return err
	}
	m.result.duration(figUpdateP50, lat.percentile(50))
	m.result.duration(figUpdateP99, lat.percentile(99))
	return nil
}

// (6) Concurrent read-modify-write: 8 goroutines each add 1 to the usage
// of the same budget 200 times, each in its own transaction. Every error
// counts, and so does every lost update (the final usage must have grown
// by the number of successful transactions).
func (m *measurement) contention() error {
	id := m.data.BudgetIDs[0]
	start, err := m.store.GetBudget(m.ctx, id)
	if err != nil {
		return err
	}
	var failed, succeeded int
	var mu sync.Mutex
	d, err := m.steps.run("contention", func() error {
		var wg sync.WaitGroup
		for range contentionWriters {
			wg.Go(func() {
				for range contentionPerWriter {
					err := m.store.ExecuteTransaction(m.ctx, func(tx configstore.ConfigStore) error {
						b, err := tx.GetBudget(m.ctx, id)
						if err != nil {
							return err
						}
						b.CurrentUsage++
						return tx.UpdateBudget(m.ctx, b)
					})
					mu.Lock()
					if err != nil {
						failed++
						if failed == 1 {
							m.steps.log.Error("contention", "err", err)
						}
					} else {
						succeeded++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return nil
	})
	if err != nil {
		return err
	}
	end, err := m.store.GetBudget(m.ctx, id)
	if err != nil {
		return err
	}
	m.result.duration(figContentionWall, d)
	m.result.count(figContentionError, failed)
	m.result.count(figContentionLost, succeeded-int(end.CurrentUsage-start.CurrentUsage))
	return nil
}

// (7) Reopen the populated store (SQL backends) and list every virtual key.
func (m *measurement) reopenAndList() error {
	if m.physical() {
		if err := m.closeStore(); err != nil {
			return err
		}
		d, err := m.steps.run("reopen", func() error {
			var err error
			m.store, err = m.open()
			return err
		})
		if err != nil {
			return err
		}
		m.result.duration(figReopen, d)
	}
	d, err := m.steps.run("list-virtual-keys", func() error {
		vks, err := m.store.ListVirtualKeys(m.ctx)
		if err == nil && len(vks) != len(m.data.VKIDs) {
			err = fmt.Errorf("listed %d virtual keys, want %d", len(vks), len(m.data.VKIDs))
		}
		return err
	})
	m.result.duration(figListAll, d)
	return err
}

// (8) Peak RSS of the process from the cold apply on (startPeakRSS resets
// it once the generated config.json is written, so the generator's own
// memory does not count): everything above, before the baseline reads the
// store's rows into memory.
func (m *measurement) peakRSS() error {
	rss, err := peakRSS()
	m.result.Figures[figPeakRSS] = float64(rss)
	return err
}

// baseline copies every row of the populated store into a new database of
// the same backend, migrated by the store, with the plain driver in one
// transaction: the physical cost of writing what the store holds. It runs
// last, so that holding the rows does not count in the peak RSS: its rows
// are the store's after steps 5 and 6 without their change-log entries, so
// the same rows as after the cold apply, with nearly the same bytes (1,000
// virtual key descriptions and one budget's usage changed).
func (m *measurement) baseline() error {
	if !m.physical() {
		return nil
	}
	if err := m.closeStore(); err != nil {
		return err
	}
	p := m.target.physical
	src, err := p.open(m.ctx, m.db)
	if err != nil {
		return err
	}
	rows, err := readRows(m.ctx, src, p, m.coldRevision)
	if err = errors.Join(err, src.Close()); err != nil {
		return err
	}
	m.result.count(figColdRows, countRows(rows))
	m.db, err = m.target.fresh(m.ctx, "baseline")
	if err != nil {
		return err
	}
	migrated, err := m.open()
	if err != nil {
		return err
	}
	if err := migrated.Close(); err != nil {
		return err
	}
	dst, err := p.open(m.ctx, m.db)
	if err != nil {
		return err
	}
	defer dst.Close()
	d, err := m.steps.run("baseline", func() error { return p.insertRows(m.ctx, dst, rows) })
	m.result.duration(figBaseline, d)
	return err
}
