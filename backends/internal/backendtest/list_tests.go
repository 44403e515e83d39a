package backendtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gatewaykit/configstore"
)

var listTests = map[string]func(t *testing.T, b configstore.Backend){
	"Conditions":       testListConditions,
	"Order":            testListOrder,
	"RejectsBadQuery":  testListRejectsBadQueries,
	"LongInList":       testListLongInList,
	"EqOnJSONAndBools": testListEqOnJSONAndBools,
}

// listFixture stores teams of two customers with and without budgets.
func listFixture(t *testing.T, b configstore.Backend) *configstore.Kind {
	t.Helper()
	team, cust, budget := Kind(t, "team"), Kind(t, "customer"), Kind(t, "budget")
	Insert(t, b, cust, Record(t, cust, "c1", nil), Record(t, cust, "c2", nil))
	Insert(t, b, budget, Record(t, budget, "b", nil))
	Insert(t, b, team,
		Record(t, team, "t1", map[string]any{"name": "b", "customer_id": "c1", "revision": int64(3)}),
		Record(t, team, "t2", map[string]any{"name": "B", "customer_id": "c2", "revision": int64(1)}),
		Record(t, team, "t3", map[string]any{"name": "é", "revision": int64(2), "budget_id": "b"}),
		Record(t, team, "t4", map[string]any{"name": "a", "customer_id": "c1", "revision": int64(2)}),
		Record(t, team, "t0", map[string]any{"name": "z", "revision": int64(5)}),
	)
	return team
}

func testListConditions(t *testing.T, b configstore.Backend) {
	team, cust := listFixture(t, b), Kind(t, "customer")
	in := configstore.InSelect
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
		{"EqIsCaseSensitive", q(configstore.Eq("name", "A")), nil},
		{"EqPlainField", q(configstore.Eq("revision", int64(2))), []string{"t3", "t4"}},
		{"InEmptyMatchesNothing", q(configstore.In("id", []string{})), nil},
		{"InKeys", q(configstore.In("id", []string{"t4", "t1", "t4", "nope"})), []string{"t1", "t4"}},
		{"InReference", q(configstore.In("customer_id", []string{"c2", "c1"})), []string{"t1", "t2", "t4"}},
		{"InUnique", q(configstore.In("name", []string{"a", "B"})), []string{"t2", "t4"}},
		{"Greater", q(configstore.Greater("revision", int64(2))), []string{"t0", "t1"}},
		{"GreaterTextIsBytewise", q(configstore.Greater("name", "a")), []string{"t0", "t1", "t3"}},
		{"GreaterSkipsNull", q(configstore.Greater("customer_id", "")), []string{"t1", "t2", "t4"}},
		{"Conjunction", q(configstore.Eq("customer_id", "c1"), configstore.Greater("revision", int64(2))), []string{"t1"}},
		{"ConjunctionWithEmptyIn", q(configstore.Eq("customer_id", "c1"), configstore.In("id", []string{})), nil},
		{"InSelect", q(in("customer_id", cust, "id", configstore.Eq("id", "c1"))), []string{"t1", "t4"}},
		{"InSelectEvery", q(in("customer_id", cust, "id")), []string{"t1", "t2", "t4"}},
		{"InSelectLeavesNullOut", q(in("customer_id", team, "customer_id")), []string{"t1", "t2", "t4"}},
		{"InSelectNested", q(in("customer_id", cust, "id", in("id", team, "customer_id", configstore.Eq("name", "B")))), []string{"t2"}},
		{"InSelectNoMatch", q(in("customer_id", cust, "id", configstore.Eq("id", "c9"))), nil},
		{"InSelectOfEmptyIn", q(in("customer_id", cust, "id", configstore.In("id", []string{}))), nil},
		{"InSelectInts", q(in("revision", team, "revision", configstore.Eq("name", "b"))), []string{"t1"}},
		{"InSelectAndMore", q(in("customer_id", cust, "id"), configstore.Greater("revision", int64(1))), []string{"t1", "t4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(t, b, team, tc.query); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func testListOrder(t *testing.T, b configstore.Backend) {
	team := listFixture(t, b)
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
		{"ByBool", configstore.Query{OrderBy: []string{"calendar_aligned"}, Limit: 1}, []string{"t0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(t, b, team, tc.query); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func testListRejectsBadQueries(t *testing.T, b configstore.Backend) {
	team, cust := listFixture(t, b), Kind(t, "customer")
	where := func(c configstore.Condition) configstore.Query {
		return configstore.Query{Where: []configstore.Condition{c}}
	}
	for _, tc := range []struct {
		name  string
		query configstore.Query
	}{
		{"UnknownField", configstore.Query{Where: []configstore.Condition{configstore.Eq("colour", "x")}}},
		{"UnknownOrderField", configstore.Query{OrderBy: []string{"colour"}}},
		{"OrderByJSON", configstore.Query{OrderBy: []string{"profile"}}},
		{"WrongValueType", configstore.Query{Where: []configstore.Condition{configstore.Eq("revision", 2)}}},
		{"NilInIn", configstore.Query{Where: []configstore.Condition{configstore.In[any]("customer_id", []any{nil})}}},
		{"GreaterNil", configstore.Query{Where: []configstore.Condition{configstore.Greater("customer_id", nil)}}},
		{"GreaterJSON", configstore.Query{Where: []configstore.Condition{configstore.Greater("profile", "{}")}}},
		{"UnknownOp", configstore.Query{Where: []configstore.Condition{{Field: "name", Op: 99, Values: []any{"x"}}}}},
		{"EqTwoValues", configstore.Query{Where: []configstore.Condition{{Field: "name", Op: configstore.OpEq, Values: []any{"a", "b"}}}}},
		{"NegativeLimit", configstore.Query{Limit: -1}},
		{"InSelectWithoutSelect", where(configstore.Condition{Field: "customer_id", Op: configstore.OpInSelect})},
		{"InSelectUnknownField", where(configstore.InSelect("customer_id", cust, "colour"))},
		{"InSelectOtherType", where(configstore.InSelect("revision", team, "name"))},
		{"InSelectJSON", where(configstore.InSelect("profile", team, "profile"))},
		{"InSelectBadCondition", where(configstore.InSelect("customer_id", cust, "id", configstore.Eq("colour", "x")))},
		{"InSelectUndeclaredKind", where(configstore.InSelect("customer_id", &configstore.Kind{Name: "nope", Table: "nope", Key: "id",
			Fields: []configstore.Field{{Name: "id", Type: configstore.TypeText}}}, "id"))},
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

// testListLongInList: an IN list longer than any statement's parameter
// limit (SQLite: 32766) works, and so does deleting many keys at once.
func testListLongInList(t *testing.T, b configstore.Backend) {
	const stored, asked = 2_000, 40_000
	mp := Kind(t, "model_pricing")
	recs := make([]configstore.Record, stored)
	ids := make([]string, asked)
	for i := range ids {
		ids[i] = fmt.Sprintf("mp-%05d", i)
	}
	for i := range recs {
		recs[i] = Record(t, mp, ids[2*i], map[string]any{"model": ids[2*i]})
	}
	Insert(t, b, mp, recs...)
	q := configstore.Query{Where: []configstore.Condition{configstore.In("id", ids[2:])}}
	got := keys(t, b, mp, q)
	if len(got) != stored-1 || got[0] != ids[2] || got[len(got)-1] != ids[2*(stored-1)] {
		t.Fatalf("IN of %d keys returned %d records, want %d", asked-2, len(got), stored-1)
	}
	if err := del(b, mp, got...); err != nil {
		t.Fatalf("Delete of %d keys: %v", len(got), err)
	}
	if got := keys(t, b, mp, configstore.Query{}); !slices.Equal(got, ids[:1]) {
		t.Fatalf("after deleting all but one: %d records left", len(got))
	}
}

func testListEqOnJSONAndBools(t *testing.T, b configstore.Backend) {
	team := Kind(t, "team")
	Insert(t, b, team,
		Record(t, team, "t1", map[string]any{"name": "one", "profile": `{"a": 1}`, "calendar_aligned": true}),
		Record(t, team, "t2", map[string]any{"name": "two", "profile": `{"a":1}`}))
	if got := keys(t, b, team, configstore.Query{Where: []configstore.Condition{configstore.Eq("profile", `{"a":1}`)}}); !slices.Equal(got, []string{"t2"}) {
		t.Fatalf("Eq on a JSON field compares the text: got %v, want [t2]", got)
	}
	if got := keys(t, b, team, configstore.Query{Where: []configstore.Condition{configstore.Eq("calendar_aligned", true)}}); !slices.Equal(got, []string{"t1"}) {
		t.Fatalf("Eq on a bool: got %v, want [t1]", got)
	}
	if got := keys(t, b, team, configstore.Query{Where: []configstore.Condition{configstore.Greater("calendar_aligned", false)}}); !slices.Equal(got, []string{"t1"}) {
		t.Fatalf("Greater on a bool: got %v, want [t1]", got)
	}
}
