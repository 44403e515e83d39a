package memory_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
)

// listFixture stores teams of two customers with and without budgets.
func listFixture(t *testing.T) (configstore.Backend, *configstore.Kind) {
	t.Helper()
	b := newBackend()
	team, cust, budget := kind(t, "team"), kind(t, "customer"), kind(t, "budget")
	insert(t, b, cust, record(t, cust, "c1", nil), record(t, cust, "c2", nil))
	insert(t, b, budget, record(t, budget, "b", nil))
	insert(t, b, team,
		record(t, team, "t1", map[string]any{"name": "b", "customer_id": "c1", "revision": int64(3)}),
		record(t, team, "t2", map[string]any{"name": "B", "customer_id": "c2", "revision": int64(1)}),
		record(t, team, "t3", map[string]any{"name": "é", "revision": int64(2), "budget_id": "b"}),
		record(t, team, "t4", map[string]any{"name": "a", "customer_id": "c1", "revision": int64(2)}),
		record(t, team, "t0", map[string]any{"name": "z", "revision": int64(5)}),
	)
	return b, team
}

func TestListConditions(t *testing.T) {
	b, team := listFixture(t)
	q := func(conds ...configstore.Condition) configstore.Query { return configstore.Query{Where: conds} }
	for _, tc := range []struct {
		name  string
		query configstore.Query
		want  []string
	}{
		{"All", q(), []string{"t0", "t1", "t2", "t3", "t4"}},
		{"EqReference", q(configstore.Eq("customer_id", "c1")), []string{"t1", "t4"}},
		{"EqNilMatchesNull", q(configstore.Eq("customer_id", nil)), []string{"t0", "t3"}},
		{"EqNoMatch", q(configstore.Eq("customer_id", "c9")), nil},
		{"EqKey", q(configstore.Eq("id", "t2")), []string{"t2"}},
		{"EqUnique", q(configstore.Eq("name", "é")), []string{"t3"}},
		{"EqPlainField", q(configstore.Eq("revision", int64(2))), []string{"t3", "t4"}},
		{"InEmptyMatchesNothing", q(configstore.In("id", []string{})), nil},
		{"InKeys", q(configstore.In("id", []string{"t4", "t1", "t4", "nope"})), []string{"t1", "t4"}},
		{"InReference", q(configstore.In("customer_id", []string{"c2", "c1"})), []string{"t1", "t2", "t4"}},
		{"InUnique", q(configstore.In("name", []string{"a", "B"})), []string{"t2", "t4"}},
		{"Greater", q(configstore.Greater("revision", int64(2))), []string{"t0", "t1"}},
		{"GreaterText", q(configstore.Greater("name", "a")), []string{"t0", "t1", "t3"}},
		{"GreaterSkipsNull", q(configstore.Greater("customer_id", "")), []string{"t1", "t2", "t4"}},
		{"Conjunction", q(configstore.Eq("customer_id", "c1"), configstore.Greater("revision", int64(2))), []string{"t1"}},
		{"ConjunctionThroughIndex", q(configstore.Greater("revision", int64(0)), configstore.Eq("customer_id", "c2")), []string{"t2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(t, b, team, tc.query); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListOrder(t *testing.T) {
	b, team := listFixture(t)
	for _, tc := range []struct {
		name  string
		query configstore.Query
		want  []string
	}{
		{"ByKey", configstore.Query{}, []string{"t0", "t1", "t2", "t3", "t4"}},
		// Bytewise: "B" < "a" < "b" < "z" < "é".
		{"TextBytewise", configstore.Query{OrderBy: []string{"name"}}, []string{"t2", "t4", "t1", "t0", "t3"}},
		{"ThenKey", configstore.Query{OrderBy: []string{"revision"}}, []string{"t2", "t3", "t4", "t1", "t0"}},
		{"NullsLast", configstore.Query{OrderBy: []string{"customer_id"}}, []string{"t1", "t4", "t2", "t0", "t3"}},
		{"TwoFields", configstore.Query{OrderBy: []string{"customer_id", "revision"}}, []string{"t4", "t1", "t2", "t3", "t0"}},
		{"Limit", configstore.Query{OrderBy: []string{"name"}, Limit: 2}, []string{"t2", "t4"}},
		{"LimitAboveCount", configstore.Query{Limit: 10}, []string{"t0", "t1", "t2", "t3", "t4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(t, b, team, tc.query); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListRejectsBadQueries(t *testing.T) {
	b, team := listFixture(t)
	for _, tc := range []struct {
		name  string
		query configstore.Query
	}{
		{"UnknownField", configstore.Query{Where: []configstore.Condition{configstore.Eq("colour", "x")}}},
		{"UnknownOrderField", configstore.Query{OrderBy: []string{"colour"}}},
		{"WrongValueType", configstore.Query{Where: []configstore.Condition{configstore.Eq("revision", 2)}}},
		{"NilInIn", configstore.Query{Where: []configstore.Condition{configstore.In[any]("customer_id", []any{nil})}}},
		{"GreaterNil", configstore.Query{Where: []configstore.Condition{configstore.Greater("customer_id", nil)}}},
		{"GreaterJSON", configstore.Query{Where: []configstore.Condition{configstore.Greater("profile", "{}")}}},
		{"UnknownOp", configstore.Query{Where: []configstore.Condition{{Field: "name", Op: 99, Values: []any{"x"}}}}},
		{"EqTwoValues", configstore.Query{Where: []configstore.Condition{{Field: "name", Op: configstore.OpEq, Values: []any{"a", "b"}}}}},
		{"NegativeLimit", configstore.Query{Limit: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := b.Read(context.Background(), func(r configstore.Reader) error {
				_, err := r.List(context.Background(), team, tc.query)
				return err
			})
			wantErr(t, err, configstore.ErrInvalid)
		})
	}
}
