package sqlstore

import "github.com/uptrace/bun/schema"

// Stmt builds one SQL statement: identifiers are quoted by the bun dialect,
// values are bind parameters collected in Args, never part of the text
// (only numbers the program itself writes are, such as a List's LIMIT).
type Stmt struct {
	gen schema.QueryGen
	// dialect gives the placeholders (holding its Placeholder method
	// value instead would cost an allocation per statement).
	dialect Dialect
	query   []byte
	Args    []any
}

func newStmt(gen schema.QueryGen, d Dialect) *Stmt {
	return &Stmt{gen: gen, dialect: d}
}

// textSlack is the room a statement's text gets beyond its first
// fragment, often a kind's fixed prefix (see kindText): enough for the
// conditions, ORDER BY and placeholders of a point read or a list to follow
// without growing the text again.
const textSlack = 128

// SQL appends a fragment of SQL text written by the program.
func (s *Stmt) SQL(fragment string) *Stmt {
	if s.query == nil {
		s.query = make([]byte, 0, len(fragment)+textSlack)
	}
	s.query = append(s.query, fragment...)
	return s
}

// Name appends a quoted identifier (a table or column name).
func (s *Stmt) Name(ident string) *Stmt {
	s.query = s.gen.AppendName(s.query, ident)
	return s
}

// Names appends a comma-separated list of quoted identifiers.
func (s *Stmt) Names(idents []string) *Stmt {
	for i, ident := range idents {
		if i > 0 {
			s.SQL(", ")
		}
		s.Name(ident)
	}
	return s
}

// Arg appends the placeholder of a new bind parameter holding v.
func (s *Stmt) Arg(v any) *Stmt {
	s.Args = append(s.Args, v)
	s.query = append(s.query, s.dialect.Placeholder(len(s.Args))...)
	return s
}

// ArgList appends comma-separated placeholders for values.
func (s *Stmt) ArgList(values []any) *Stmt {
	for i, v := range values {
		if i > 0 {
			s.SQL(", ")
		}
		s.Arg(v)
	}
	return s
}

// String returns the SQL text.
func (s *Stmt) String() string { return string(s.query) }

// stmtMark is a point in a Stmt's building (see mark).
type stmtMark struct{ text, args int }

// mark returns the point s has reached, for truncate.
func (s *Stmt) mark() stmtMark { return stmtMark{len(s.query), len(s.Args)} }

// truncate takes s back to m: the text and bind parameters appended since
// are dropped.
func (s *Stmt) truncate(m stmtMark) {
	s.query, s.Args = s.query[:m.text], s.Args[:m.args]
}

// textSpan is a part of a Stmt's text, from byte from up to to.
type textSpan struct{ from, to int }

// text returns the part of s's text that span covers.
func (s *Stmt) text(span textSpan) string { return string(s.query[span.from:span.to]) }
