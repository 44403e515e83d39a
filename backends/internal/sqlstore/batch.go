package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gatewaykit/configstore"
)

var _ configstore.BatchLister = (*txn)(nil)

// ListBatch implements configstore.BatchLister: in one statement where
// the dialect is a Batcher (see selectBatch), else list by list, with
// configstore.ListEach (SQLite, in process, gains nothing from one
// statement).
func (t *txn) ListBatch(ctx context.Context, lists []configstore.KindQuery) ([][]configstore.Record, error) {
	if b, ok := t.dialect.(Batcher); ok && len(lists) > 1 {
		return t.selectBatch(ctx, b, lists)
	}
	return configstore.ListEach(ctx, t, lists)
}

// selectBatch runs lists as one SELECT of one row: a column per list, its
// rows as b gives them in JSON (NULL for a list that matches nothing for
// certain), decoded with the list kind's fields as a row's columns are.
// When every list matches nothing for certain, nothing is sent.
func (t *txn) selectBatch(ctx context.Context, b Batcher, lists []configstore.KindQuery) ([][]configstore.Record, error) {
	s := t.stmt().SQL("SELECT ")
	columns := make([]configstore.Field, len(lists))
	out := make([][]configstore.Record, len(lists))
	sent := false
	for i, l := range lists {
		if err := t.check("list", l.Kind, false); err != nil {
			return nil, err
		}
		if i > 0 {
			s.SQL(", ")
		}
		columns[i] = configstore.Field{Name: strconv.Itoa(i), Type: configstore.TypeJSON, Nullable: true}
		kt := t.texts(l.Kind)
		start := s.mark()
		order, empty, err := t.appendList(s, l.Kind, l.Query)
		if err != nil {
			return nil, err
		}
		if empty {
			s.truncate(start)
			s.SQL("NULL")
			continue
		}
		sent = true
		before, after := b.RowsAsJSON(kt.columns, kt.fields, s.text(order))
		// The list's SELECT is written first: before depends on its ORDER BY.
		selectText := string(s.query[start.text:])
		s.query = append(append(append(s.query[:start.text], before...), selectText...), after...)
	}
	if !sent {
		return out, nil
	}
	docs, err := t.runBatch(ctx, columns, s)
	if err != nil {
		return nil, t.fail(ctx, "list batch from", lists[0].Kind, err)
	}
	if len(docs) != 1 {
		return nil, fmt.Errorf("list batch from %s: %d result rows, want 1", lists[0].Kind.Name, len(docs))
	}
	for i, l := range lists {
		doc, _ := docs[0][columns[i].Name].(string)
		if doc == "" {
			continue
		}
		if out[i], err = recordsFromJSON(l.Kind.Fields, doc); err != nil {
			return nil, fmt.Errorf("list batch: %s: %w", l.Kind.Name, err)
		}
	}
	return out, nil
}

// runBatch runs s, a batch whose columns are columns: as a prepared
// statement where the dialect is a Preparer and the batch begins a read on
// a connection (see Preparer), else as it is.
func (t *txn) runBatch(ctx context.Context, columns []configstore.Field, s *Stmt) ([]configstore.Record, error) {
	p, ok := t.dialect.(Preparer)
	if !ok || t.conn == nil || t.writable || t.begin == "" {
		return t.readRecords(ctx, columns, s)
	}
	query := s.String()
	execute, err := p.Prepare(ctx, t.conn, query, len(s.Args))
	if err != nil {
		return nil, err
	}
	if execute == "" {
		return t.readRecords(ctx, columns, s)
	}
	e := t.stmt().SQL(execute)
	e.Args = s.Args
	docs, err := t.readRecords(ctx, columns, e)
	if err != nil {
		p.Forget(t.conn, query)
	}
	return docs, err
}

// recordsFromJSON decodes rows given as Batcher.RowsAsJSON gives them.
// Errors name fields, never values.
func recordsFromJSON(fields []configstore.Field, doc string) ([]configstore.Record, error) {
	var rows [][]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &rows); err != nil {
		return nil, fmt.Errorf("rows are not a JSON array of arrays")
	}
	out := make([]configstore.Record, len(rows))
	for i, cells := range rows {
		if len(cells) != len(fields) {
			return nil, fmt.Errorf("a row of %d values for %d fields", len(cells), len(fields))
		}
		rec := make(configstore.Record, len(fields))
		for j, f := range fields {
			v, err := jsonCell(cells[j])
			if err != nil {
				return nil, fmt.Errorf("column %s: not a JSON value", f.Name)
			}
			if rec[f.Name], err = fromDB(f, v); err != nil {
				return nil, err
			}
		}
		out[i] = rec
	}
	return out, nil
}

// jsonCell returns the value of a column in a JSON row for fromDB: nil for
// null, a JSON string's text, else the JSON text of the number or boolean.
func jsonCell(raw json.RawMessage) (any, error) {
	switch raw[0] { // json.Unmarshal gives no empty RawMessage
	case 'n':
		return nil, nil
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	return string(raw), nil
}
