package backendtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gatewaykit/configstore"
)

var batchTests = map[string]func(t *testing.T, b configstore.Backend){
	"MatchesLists":       testBatchMatchesLists,
	"FailedListFails":    testBatchFailedListFails,
	"InWriteTransaction": testBatchInWriteTransaction,
}

// batchFixture stores the list fixture and budgets whose values are hard
// to carry (text with tabs, quotes, backslashes, non-ASCII; edge floats;
// times; JSON), and returns the lists of a batch over them: with
// conditions, orders and limits, a list that matches nothing, and lists
// that select by an earlier list (InSelect).
func batchFixture(t *testing.T, b configstore.Backend) []configstore.KindQuery {
	t.Helper()
	team, cust, budget := listFixture(t, b), Kind(t, "customer"), Kind(t, "budget")
	odd := []string{"tab\there", "new\nline\r", `back\slash \N`, `"quoted" 'single'`, "日本語 é ✓", ""}
	floats := []float64{0.1, 1e300, -5e-324, math.MaxFloat64, math.Inf(1), math.Inf(-1), -0.5}
	var recs []configstore.Record
	for i, x := range floats {
		rec := Record(t, budget, fmt.Sprintf("odd-%d", i), map[string]any{"max_limit": x, "current_usage": float64(i),
			"reset_duration": odd[i%len(odd)], "calendar_aligned": i%2 == 0, "team_id": []any{"t1", nil}[i%2],
			"last_reset": []any{nil, baseTime.Add(time.Duration(i) * time.Hour)}[i%2]})
		recs = append(recs, rec)
	}
	Insert(t, b, budget, recs...)
	Insert(t, b, team, Record(t, team, "t9", map[string]any{"name": odd[0] + odd[2], "profile": `{"a": "` + "\\t\\u00e9" + `", "b": [1, 2.5, null]}`,
		"budget_id": "odd-0", "customer_id": "c2"}))
	q := func(where ...configstore.Condition) configstore.Query { return configstore.Query{Where: where} }
	byC2 := q(configstore.Eq("customer_id", "c2"))
	return []configstore.KindQuery{
		{Kind: team, Query: configstore.Query{OrderBy: []string{"name"}}},
		{Kind: budget, Query: configstore.Query{}},
		{Kind: team, Query: byC2},
		{Kind: budget, Query: q(configstore.InSelect("id", team, "budget_id", byC2.Where...))},
		{Kind: team, Query: q(configstore.In("id", []string{}))},
		{Kind: cust, Query: q(configstore.InSelect("id", team, "customer_id", configstore.Eq("name", "nobody")))},
		{Kind: budget, Query: q(configstore.InSelect("team_id", team, "id", configstore.Eq("name", "nobody")))},
		{Kind: team, Query: configstore.Query{OrderBy: []string{"revision"}, Limit: 2}},
		{Kind: budget, Query: q(configstore.InSelect("team_id", team, "id", configstore.Eq("customer_id", "c1")),
			configstore.Greater("max_limit", 0.5))},
	}
}

// readLists returns, in one read, what List returns for each of lists,
// what ListEach returns, and what ListBatch returns where r is a
// BatchLister (else nil).
func readLists(t *testing.T, b configstore.Backend, lists []configstore.KindQuery) (want, each, batch [][]configstore.Record) {
	t.Helper()
	ctx := context.Background()
	err := b.Read(ctx, func(r configstore.Reader) error {
		for _, l := range lists {
			recs, err := r.List(ctx, l.Kind, l.Query)
			if err != nil {
				return fmt.Errorf("List %s: %w", l.Kind.Name, err)
			}
			want = append(want, recs)
		}
		var err error
		if each, err = configstore.ListEach(ctx, r, lists); err != nil {
			return fmt.Errorf("ListEach: %w", err)
		}
		if bl, ok := r.(configstore.BatchLister); ok {
			if batch, err = bl.ListBatch(ctx, lists); err != nil {
				return fmt.Errorf("ListBatch: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want, each, batch
}

// testBatchMatchesLists: a batch returns what its lists return one by
// one, value for value, in their order.
func testBatchMatchesLists(t *testing.T, b configstore.Backend) {
	lists := batchFixture(t, b)
	want, each, batch := readLists(t, b, lists)
	if n := len(want[1]); n != 8 {
		t.Fatalf("the budgets list returned %d records, want 8", n)
	}
	if n := len(want[3]); n != 1 {
		t.Fatalf("the InSelect of a team's budget returned %d records, want 1", n)
	}
	for name, got := range map[string][][]configstore.Record{"ListEach": each, "ListBatch": batch} {
		if got == nil && name == "ListBatch" {
			continue // the backend does not batch
		}
		if len(got) != len(lists) {
			t.Fatalf("%s returned %d results for %d lists", name, len(got), len(lists))
		}
		for i := range lists {
			if len(got[i]) != len(want[i]) || (len(want[i]) > 0 && !reflect.DeepEqual(got[i], want[i])) {
				t.Errorf("%s: list %d (%s): got %v, want %v", name, i, lists[i].Kind.Name, got[i], want[i])
			}
		}
	}
}

// testBatchFailedListFails: a list List refuses fails the batch with its
// error, an InSelect over an earlier list of the batch included.
func testBatchFailedListFails(t *testing.T, b configstore.Backend) {
	fixture, team := batchFixture(t, b), Kind(t, "team")
	where := func(c configstore.Condition) configstore.KindQuery {
		return configstore.KindQuery{Kind: team, Query: configstore.Query{Where: []configstore.Condition{c}}}
	}
	ctx := context.Background()
	for name, bad := range map[string]configstore.KindQuery{
		"UnknownField": where(configstore.Eq("colour", "x")),
		// fixture[0] lists every team: these select from it.
		"InSelectUnknownField": where(configstore.InSelect("customer_id", team, "colour")),
		"InSelectOtherType":    where(configstore.InSelect("revision", team, "name")),
		"InSelectJSON":         where(configstore.InSelect("profile", team, "profile")),
	} {
		t.Run(name, func(t *testing.T) {
			lists := append(slices.Clone(fixture), bad)
			err := b.Read(ctx, func(r configstore.Reader) error {
				_, err := configstore.ListEach(ctx, r, lists)
				return err
			})
			wantErr(t, err, configstore.ErrInvalid)
			batches := false
			err = b.Read(ctx, func(r configstore.Reader) error {
				bl, ok := r.(configstore.BatchLister)
				if !ok {
					return nil
				}
				batches = true
				_, err := bl.ListBatch(ctx, lists)
				return err
			})
			if batches {
				wantErr(t, err, configstore.ErrInvalid)
			}
		})
	}
}

// testBatchInWriteTransaction: in a write transaction a batch sees the
// transaction's writes, and after a batch that failed the transaction
// goes on and commits.
func testBatchInWriteTransaction(t *testing.T, b configstore.Backend) {
	team := Kind(t, "team")
	ctx := context.Background()
	good := []configstore.KindQuery{{Kind: team}, {Kind: team, Query: configstore.Query{Where: []configstore.Condition{configstore.Eq("name", "new")}}}}
	bad := append(good, configstore.KindQuery{Kind: team, Query: configstore.Query{OrderBy: []string{"colour"}}})
	write(t, b, func(tx configstore.Tx) error {
		if err := tx.Insert(ctx, team, Record(t, team, "new", map[string]any{"name": "new"})); err != nil {
			return err
		}
		listBatch := func(lists []configstore.KindQuery) ([][]configstore.Record, error) {
			if bl, ok := configstore.Reader(tx).(configstore.BatchLister); ok {
				return bl.ListBatch(ctx, lists)
			}
			return configstore.ListEach(ctx, tx, lists) // what the portable layer does without it
		}
		if _, err := listBatch(bad); !errors.Is(err, configstore.ErrInvalid) {
			return fmt.Errorf("a batch with a bad list: %v, want ErrInvalid", err)
		}
		res, err := listBatch(good)
		if err != nil {
			return fmt.Errorf("a batch after the failed one: %w", err)
		}
		if len(res[0]) != 1 || len(res[1]) != 1 {
			return fmt.Errorf("the batch saw %d and %d records, want the new team in both", len(res[0]), len(res[1]))
		}
		return nil
	})
	if got := keys(t, b, team, configstore.Query{}); !reflect.DeepEqual(got, []string{"new"}) {
		t.Fatalf("after the commit: %v, want [new]", got)
	}
}
