package schematest

import (
	"slices"
	"strings"
	"testing"

	"github.com/gatewaykit/configstore"
)

// declaredSchema builds the schema the declarations describe, as a
// perfectly migrated database would show it.
func declaredSchema(kinds []*configstore.Kind) Schema {
	s := Schema{}
	for _, k := range kinds {
		t := s.table(k.Table)
		for _, f := range k.Fields {
			t.Columns[f.Name] = Column{Type: SQLiteType(f.Type), NotNull: !f.Nullable}
		}
		t.PrimaryKey = []string{k.Key}
		t.IndexLeads = append(t.IndexLeads, k.Key)
		for _, u := range k.Unique {
			t.Unique = append(t.Unique, slices.Clone(u))
			t.IndexLeads = append(t.IndexLeads, u[0])
		}
		for _, r := range k.References {
			target, _ := configstore.KindByName(r.Target)
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Columns: []string{r.Field}, RefTable: target.Table,
				RefColumns: []string{target.Key}, OnDelete: r.OnDelete.String()})
			t.IndexLeads = append(t.IndexLeads, r.Field)
		}
	}
	return s
}

// TestDiffFindsEveryDrift: the comparison reports each kind of drift
// between the declarations and a schema, and nothing when they agree.
func TestDiffFindsEveryDrift(t *testing.T) {
	kinds := configstore.Kinds()
	if d := Diff(kinds, declaredSchema(kinds), SQLiteType); len(d) != 0 {
		t.Fatalf("a schema built from the declarations differs from them: %v", d)
	}
	for _, tc := range []struct {
		name  string
		drift func(s Schema)
		want  string
	}{
		{"MissingTable", func(s Schema) { delete(s, "config_teams") }, "table config_teams is missing"},
		{"ExtraTable", func(s Schema) { s.table("config_extra") }, "config_extra is not declared"},
		{"MissingColumn", func(s Schema) { delete(s["config_keys"].Columns, "weight") }, "column weight is missing"},
		{"ExtraColumn", func(s Schema) { s["config_keys"].Columns["colour"] = Column{Type: "TEXT"} }, "column colour is not a field"},
		{"WrongType", func(s Schema) { s["config_keys"].Columns["weight"] = Column{Type: "TEXT", NotNull: true} }, "column weight has type TEXT"},
		{"Nullability", func(s Schema) { s["config_keys"].Columns["name"] = Column{Type: "TEXT"} }, "column name: NOT NULL is false"},
		{"PrimaryKey", func(s Schema) { s["config_keys"].PrimaryKey = []string{"name"} }, "primary key [name]"},
		{"MissingUnique", func(s Schema) { s["config_virtual_keys"].Unique = s["config_virtual_keys"].Unique[:1] }, "unique constraints"},
		{"MissingForeignKey", func(s Schema) { s["config_teams"].ForeignKeys = s["config_teams"].ForeignKeys[1:] }, "foreign keys"},
		{"DeleteRule", func(s Schema) { s["config_keys"].ForeignKeys[0].OnDelete = "NO ACTION" }, "ON DELETE NO ACTION], want"},
		{"UnindexedReference", func(s Schema) {
			t := s["config_budgets"]
			t.IndexLeads = slices.DeleteFunc(t.IndexLeads, func(c string) bool { return c == "team_id" })
		}, "team_id is not the leading column of an index"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := declaredSchema(kinds)
			tc.drift(s)
			d := Diff(kinds, s, SQLiteType)
			if !slices.ContainsFunc(d, func(line string) bool { return strings.Contains(line, tc.want) }) {
				t.Fatalf("drift not reported as %q; got %v", tc.want, d)
			}
		})
	}
}
