package schematest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatewaykit/configstore"
)

// Schema is what the catalog says about the tables of a database.
type Schema map[string]*Table

// Table is one table.
type Table struct {
	Columns     map[string]Column
	PrimaryKey  []string
	Unique      [][]string
	ForeignKeys []ForeignKey
	// IndexLeads holds the leading column of every index, those of the
	// primary key and unique constraints included.
	IndexLeads []string
}

// Column is one column: its type as the catalog spells it, and whether it
// is NOT NULL.
type Column struct {
	Type    string
	NotNull bool
}

// ForeignKey is one foreign key constraint.
type ForeignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
	// OnDelete is "CASCADE", "NO ACTION", "RESTRICT", "SET NULL" or
	// "SET DEFAULT".
	OnDelete string
}

// table returns the table named name, creating it.
func (s Schema) table(name string) *Table {
	t, ok := s[name]
	if !ok {
		t = &Table{Columns: map[string]Column{}}
		s[name] = t
	}
	return t
}

// Diff lists every difference between the declared kinds and schema,
// whose column types are spelled as typeName says; extra lists the other
// tables schema may hold (migration bookkeeping). Empty means they agree.
func Diff(kinds []*configstore.Kind, schema Schema, typeName func(configstore.FieldType) string, extra ...string) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	declared := map[string]bool{}
	for _, k := range kinds {
		declared[k.Table] = true
		t, ok := schema[k.Table]
		if !ok {
			add("%s: table %s is missing", k.Name, k.Table)
			continue
		}
		diffs = append(diffs, diffTable(k, t, typeName)...)
	}
	for name := range schema {
		if !declared[name] && !slices.Contains(extra, name) {
			add("table %s is not declared by any kind", name)
		}
	}
	slices.Sort(diffs)
	return diffs
}

func diffTable(k *configstore.Kind, t *Table, typeName func(configstore.FieldType) string) []string {
	var diffs []string
	add := func(format string, args ...any) {
		diffs = append(diffs, k.Table+": "+fmt.Sprintf(format, args...))
	}
	for _, f := range k.Fields {
		c, ok := t.Columns[f.Name]
		switch {
		case !ok:
			add("column %s is missing", f.Name)
		case !strings.EqualFold(c.Type, typeName(f.Type)):
			add("column %s has type %s, want %s (%v)", f.Name, c.Type, typeName(f.Type), f.Type)
		case c.NotNull == f.Nullable:
			add("column %s: NOT NULL is %v, want %v", f.Name, c.NotNull, !f.Nullable)
		}
	}
	for name := range t.Columns {
		if _, ok := k.Field(name); !ok {
			add("column %s is not a field of %s", name, k.Name)
		}
	}
	if !slices.Equal(t.PrimaryKey, []string{k.Key}) {
		add("primary key %v, want [%s]", t.PrimaryKey, k.Key)
	}
	if got, want := keyed(t.Unique), keyed(k.Unique); !slices.Equal(got, want) {
		add("unique constraints %v, want %v", got, want)
	}
	var gotFKs, wantFKs []string
	for _, fk := range t.ForeignKeys {
		gotFKs = append(gotFKs, fmt.Sprintf("(%s) -> %s (%s) ON DELETE %s",
			strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "), fk.OnDelete))
	}
	for _, r := range k.References {
		target, ok := configstore.KindByName(r.Target)
		if !ok {
			add("reference %s: unknown kind %s", r.Field, r.Target)
			continue
		}
		wantFKs = append(wantFKs, fmt.Sprintf("(%s) -> %s (%s) ON DELETE %s", r.Field, target.Table, target.Key, r.OnDelete))
		if !slices.Contains(t.IndexLeads, r.Field) {
			add("reference column %s is not the leading column of an index", r.Field)
		}
	}
	slices.Sort(gotFKs)
	slices.Sort(wantFKs)
	if !slices.Equal(gotFKs, wantFKs) {
		add("foreign keys %v, want %v", gotFKs, wantFKs)
	}
	return diffs
}

// keyed returns column lists as sorted strings, for comparison.
func keyed(lists [][]string) []string {
	out := make([]string, len(lists))
	for i, l := range lists {
		out[i] = strings.Join(l, ", ")
	}
	slices.Sort(out)
	return out
}
