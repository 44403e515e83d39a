package pgtest

import (
	"fmt"
	"sync"
	"testing"
)

// SchemaPool hands the tests of one parent test schemas that are recycled
// instead of created and migrated anew for each test: when a test ends its
// schema is reset to the state of a pristine, prepared schema (the seed)
// and handed to the next test. Every schema is dropped when the parent
// test ends. Resetting a few small tables costs far less than creating a
// schema's tables and constraints.
type SchemaPool struct {
	server   string
	prepare  func(t testing.TB, dsn string)
	resetSQL func(schema, seed string) string
	seed     string
	track    func(name string) // records a schema to drop at the end

	mu   sync.Mutex
	free []string
}

// NewSchemaPool returns a pool on the test server (skipping or failing
// parent as ServerDSN does). prepare readies a new schema given its DSN
// (migrates it); resetSQL returns the statements that make schema hold
// exactly what seed holds, whatever a test left in it.
func NewSchemaPool(parent testing.TB, prepare func(t testing.TB, dsn string), resetSQL func(schema, seed string) string) *SchemaPool {
	parent.Helper()
	p := &SchemaPool{server: ServerDSN(parent), prepare: prepare, resetSQL: resetSQL}
	var (
		allMu sync.Mutex
		all   []string
	)
	p.track = func(name string) { allMu.Lock(); all = append(all, name); allMu.Unlock() }
	parent.Cleanup(func() {
		for _, name := range all {
			exec(parent, p.server, fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE", name))
		}
	})
	p.seed = p.create(parent)
	return p
}

// Get returns the DSN of a schema in the seed's state for t, taken back
// (reset) when t ends.
func (p *SchemaPool) Get(t testing.TB) string {
	t.Helper()
	p.mu.Lock()
	var name string
	if n := len(p.free); n > 0 {
		name, p.free = p.free[n-1], p.free[:n-1]
	}
	p.mu.Unlock()
	if name == "" {
		name = p.create(t)
	}
	t.Cleanup(func() { p.giveBack(t, name) })
	return p.dsn(t, name)
}

// giveBack resets a used schema and returns it to the pool; a schema that
// cannot be reset is dropped.
func (p *SchemaPool) giveBack(t testing.TB, name string) {
	if err := execErr(p.server, "BEGIN;\n"+p.resetSQL(name, p.seed)+"\nCOMMIT;"); err != nil {
		t.Logf("pgtest: dropping schema %s, which could not be reset: %v", name, err)
		_ = execErr(p.server, fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE", name))
		return
	}
	p.mu.Lock()
	p.free = append(p.free, name)
	p.mu.Unlock()
}

// create makes and prepares a new schema.
func (p *SchemaPool) create(t testing.TB) string {
	t.Helper()
	name := uniqueName("cs_test_")
	exec(t, p.server, fmt.Sprintf("CREATE SCHEMA %s", name))
	p.track(name)
	p.prepare(t, p.dsn(t, name))
	return name
}

// dsn returns the DSN of schema name (see NewSchema).
func (p *SchemaPool) dsn(t testing.TB, name string) string {
	return withParam(t, withParam(t, p.server, "search_path", name), "synchronous_commit", "off")
}
