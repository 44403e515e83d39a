package migrate

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/uptrace/bun"
	bunmigrate "github.com/uptrace/bun/migrate"
)

func TestUpTwiceAppliesNothingTheSecondTime(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		db := tg.open(t)
		fsys := migrations(m1File, m1SQL, m2File, m2SQL)

		if err := Up(ctx, db, Options{FS: fsys}); err != nil {
			t.Fatalf("first Up: %v", err)
		}
		first, err := readApplied(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		equalIDs(t, "recorded after first Up", recorded(t, db), m1ID, m2ID)

		logs := &logRecorder{}
		if err := Up(ctx, db, Options{FS: fsys, Logger: slog.New(logs)}); err != nil {
			t.Fatalf("second Up: %v", err)
		}
		second, err := readApplied(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(first, second, func(a, b bunmigrate.Migration) bool {
			return a.ID == b.ID && a.Name == b.Name && a.GroupID == b.GroupID && a.MigratedAt.Equal(b.MigratedAt)
		}) {
			t.Fatalf("bookkeeping changed by the second Up:\nfirst  %+v\nsecond %+v", first, second)
		}
		if n := count(t, db, "widgets"); n != 1 {
			t.Fatalf("widgets has %d rows, want 1 (the seed migration ran again)", n)
		}
		if got := logs.messages("applied migration"); len(got) != 0 {
			t.Fatalf("second Up logged applied migrations: %v", got)
		}
	})
}

func TestUpFirstRunRecordsOneGroup(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		db := tg.open(t)
		logs := &logRecorder{}
		if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL, m2File, m2SQL), Logger: slog.New(logs)}); err != nil {
			t.Fatal(err)
		}
		if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL, m2File, m2SQL, m3File, m3SQL)}); err != nil {
			t.Fatal(err)
		}
		rows, err := readApplied(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var groups []int64
		for _, r := range rows {
			groups = append(groups, r.GroupID)
			if r.MigratedAt.IsZero() {
				t.Errorf("%s: migrated_at is zero", r.Name)
			}
		}
		if !slices.Equal(groups, []int64{1, 1, 2}) {
			t.Fatalf("group IDs = %v, want [1 1 2]", groups)
		}
		if got := logs.messages("applied migration"); len(got) != 2 {
			t.Fatalf("first Up logged %d applied migrations, want 2: %v", len(got), got)
		}
	})
}

func TestFailingMigrationLeavesNoTraceAndIsRetried(t *testing.T) {
	bodies := map[string]string{
		// The second statement fails; the first created a table.
		"split statements": "CREATE TABLE gadgets (id INTEGER PRIMARY KEY);\n--bun:split\nINSERT INTO no_such_table VALUES (1);\n",
		"one chunk":        "CREATE TABLE gadgets (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n",
	}
	const fixed = "CREATE TABLE gadgets (id INTEGER PRIMARY KEY);\n--bun:split\nINSERT INTO gadgets VALUES (1);\n"
	const badFile = m2ID + "_create_gadgets.tx.up.sql"
	for name, bad := range bodies {
		t.Run(name, func(t *testing.T) {
			eachTarget(t, func(t *testing.T, tg target) {
				ctx := context.Background()
				db := tg.open(t)

				err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL, badFile, bad)})
				if err == nil {
					t.Fatal("Up with a failing migration returned nil")
				}
				if !strings.Contains(err.Error(), badFile) {
					t.Errorf("error %q does not name the failing file %s", err, badFile)
				}
				equalIDs(t, "recorded after the failure", recorded(t, db), m1ID)
				if !hasTable(t, db, "widgets") {
					t.Error("the migration before the failing one was rolled back too")
				}
				if hasTable(t, db, "gadgets") {
					t.Fatal("table gadgets, created by the failing migration's first statement, exists")
				}
				if tg.name == "postgres" {
					assertNoAdvisoryLock(t, db)
				}

				if err := Up(ctx, tg.open(t), Options{FS: migrations(m1File, m1SQL, badFile, fixed)}); err != nil {
					t.Fatalf("Up after fixing the migration: %v", err)
				}
				equalIDs(t, "recorded after the retry", recorded(t, db), m1ID, m2ID)
				if n := count(t, db, "gadgets"); n != 1 {
					t.Fatalf("gadgets has %d rows, want 1", n)
				}
			})
		})
	}
}

func TestSchemaNewerIsRefused(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		db := tg.open(t)
		if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL, m2File, m2SQL)}); err != nil {
			t.Fatal(err)
		}

		// An older binary: it knows m1, not m2, and has m3 pending.
		older := migrations(m1File, m1SQL, m3File, m3SQL)
		err := Up(ctx, db, Options{FS: older})
		if !errors.Is(err, ErrSchemaNewer) {
			t.Fatalf("Up = %v, want ErrSchemaNewer", err)
		}
		var sn *SchemaNewerError
		if !errors.As(err, &sn) || !slices.Equal(sn.Unknown, []string{m2ID}) {
			t.Fatalf("error %#v does not list exactly the unknown migration %s", err, m2ID)
		}
		for _, want := range []string{"schema is newer than this binary", m2ID} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
		if hasTable(t, db, "sprockets") {
			t.Fatal("the pending migration of the older binary was applied")
		}
		equalIDs(t, "recorded after the refusal", recorded(t, db), m1ID, m2ID)

		st, err := Status(ctx, db, Options{FS: older})
		if err != nil {
			t.Fatal(err)
		}
		want := []MigrationStatus{
			{Name: m1ID + "_create_widgets", Applied: true},
			{Name: m3ID + "_create_sprockets"},
			{Name: m2ID, Applied: true, Unknown: true},
		}
		assertStatus(t, st, want)
	})
}

func TestStatusReportsAppliedAndPending(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		db := tg.open(t)
		fsys := migrations(m1File, m1SQL, m2File, m2SQL)

		st, err := Status(ctx, db, Options{FS: fsys})
		if err != nil {
			t.Fatalf("Status on a fresh database: %v", err)
		}
		assertStatus(t, st, []MigrationStatus{
			{Name: m1ID + "_create_widgets"},
			{Name: m2ID + "_seed_widgets"},
		})
		if hasTable(t, db, TableName) {
			t.Fatalf("Status created %s", TableName)
		}

		if err := Up(ctx, db, Options{FS: migrations(m1File, m1SQL)}); err != nil {
			t.Fatal(err)
		}
		st, err = Status(ctx, db, Options{FS: fsys})
		if err != nil {
			t.Fatal(err)
		}
		assertStatus(t, st, []MigrationStatus{
			{Name: m1ID + "_create_widgets", Applied: true},
			{Name: m2ID + "_seed_widgets"},
		})

		// bun's own Migrator, pointed at the same tables, agrees.
		ms := bunmigrate.NewMigrations()
		if err := ms.Discover(fsys); err != nil {
			t.Fatal(err)
		}
		bst, err := bunmigrate.NewMigrator(db, ms, MigratorOptions()...).MigrationsWithStatus(ctx)
		if err != nil {
			t.Fatalf("bun MigrationsWithStatus: %v", err)
		}
		if len(bst) != 2 || !bst[0].IsApplied() || bst[1].IsApplied() {
			t.Fatalf("bun's Migrator sees %v, want %s applied and %s pending", bst, m1ID, m2ID)
		}
	})
}

// assertStatus compares statuses, checking only that AppliedAt is set
// exactly for applied migrations.
func assertStatus(t *testing.T, got, want []MigrationStatus) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("Status = %+v, want %+v", got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.Applied != w.Applied || g.Unknown != w.Unknown || g.AppliedAt.IsZero() == g.Applied {
			t.Fatalf("Status[%d] = %+v, want %+v (AppliedAt set iff applied)", i, g, w)
		}
	}
}

func TestConcurrentUpAppliesEachMigrationOnce(t *testing.T) {
	eachTarget(t, func(t *testing.T, tg target) {
		ctx := context.Background()
		fsys := migrations(m1File, m1SQL, m2File, m2SQL, m3File, m3SQL)
		const n = 3
		dbs := make([]*bun.DB, n)
		for i := range dbs {
			dbs[i] = tg.open(t)
		}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, n)
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = Up(ctx, dbs[i], Options{FS: fsys})
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Up #%d: %v", i, err)
			}
		}
		db := dbs[0]
		equalIDs(t, "recorded", recorded(t, db), m1ID, m2ID, m3ID)
		if c := count(t, db, "widgets"); c != 1 {
			t.Fatalf("widgets has %d rows, want 1", c)
		}
	})
}
