package sqlstore

import (
	"slices"
	"sync"

	"github.com/gatewaykit/configstore"
	"github.com/uptrace/bun/dialect"
)

// kindText holds the parts of the statement texts on one kind that do not
// change from call to call, quoted as one bun dialect quotes identifiers:
// built once (see texts) instead of quoting every column of every
// statement again, and read-only once built. The texts are those Stmt.Name
// and Stmt.Names would build, character for character, so a statement has
// one text whichever way it was built and its prepared form in a
// statementCache is found.
type kindText struct {
	// fields are the kind's fields and columns their quoted names, in
	// declaration order.
	fields  []configstore.Field
	columns []string
	// from is ` FROM <table>`. selectAll is `SELECT <every column>` and
	// from; selectByKey goes on with ` WHERE <key> = `, for the key's
	// placeholder.
	from, selectAll, selectByKey string
	// update is `UPDATE <table> SET `; whereKey is ` WHERE <key> = ` and
	// andRevision ` AND revision = `, each for a placeholder.
	update, whereKey, andRevision string
}

// kindTexts holds the kindTexts built so far: per identifier quote
// character (the only thing about a database they depend on), a sync.Map
// from *configstore.Kind to *kindText. Only the declared kinds are kept,
// so it stays as small as they are.
var kindTexts sync.Map

// texts returns the kindText of kind, for the transaction's database.
func (t *txn) texts(kind *configstore.Kind) *kindText {
	quote := t.gen.IdentQuote()
	cache, ok := kindTexts.Load(quote)
	if !ok {
		cache, _ = kindTexts.LoadOrStore(quote, new(sync.Map))
	}
	byKind := cache.(*sync.Map)
	if kt, ok := byKind.Load(kind); ok {
		return kt.(*kindText)
	}
	kt := newKindText(kind, quote)
	// A copy of a declaration passes checkKind too; keeping the texts of
	// each would let the cache grow without bound.
	if declared, _ := configstore.KindByName(kind.Name); declared == kind {
		stored, _ := byKind.LoadOrStore(kind, kt)
		kt = stored.(*kindText)
	}
	return kt
}

// newKindText builds the kindText of kind, its identifiers quoted with
// quote, as Stmt.Name quotes them.
func newKindText(kind *configstore.Kind, quote byte) *kindText {
	name := func(ident string) string { return string(dialect.AppendName(nil, ident, quote)) }
	kt := &kindText{fields: kind.Fields, columns: make([]string, len(kind.Fields))}
	selectAll := []byte("SELECT ")
	for i, f := range kind.Fields {
		kt.columns[i] = name(f.Name)
		if i > 0 {
			selectAll = append(selectAll, ", "...)
		}
		selectAll = append(selectAll, kt.columns[i]...)
	}
	table := name(kind.Table)
	kt.from = " FROM " + table
	kt.selectAll = string(selectAll) + kt.from
	kt.whereKey = " WHERE " + name(kind.Key) + " = "
	kt.selectByKey = kt.selectAll + kt.whereKey
	kt.update = "UPDATE " + table + " SET "
	kt.andRevision = " AND " + name(revisionField) + " = "
	return kt
}

// field returns the field of the kind named name and its quoted column.
func (kt *kindText) field(name string) (configstore.Field, string, bool) {
	i := slices.IndexFunc(kt.fields, func(f configstore.Field) bool { return f.Name == name })
	if i < 0 {
		return configstore.Field{}, "", false
	}
	return kt.fields[i], kt.columns[i], true
}
