package conformance

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/gatewaykit/configstore"
)

// kindSuite describes one entity kind to the generic tests: how to build
// records of it and how to call its ConfigStore methods. One kindSuite
// yields the CRUD, revision, uniqueness, reference, validation, round-trip
// and change-log subtests of its group.
type kindSuite[T any] struct {
	// kind is the kind's name in the change log ("virtual_key").
	kind string
	// setup, optional, creates the rows the suite's records refer to
	// (seedWorld).
	setup func(t *suiteT)
	// make returns a valid record with the given key and only its required
	// fields set; its unique fields are derived from the key.
	make func(key string) *T
	// bare, optional, returns a record with v's identity and only its
	// required fields set (default: make(key(v))).
	bare func(v *T) *T
	// full returns a valid record with every field set, nested ones
	// included, to distinctive values; what it refers to exists after setup.
	full func() *T
	// variants are further full records (full with a change) whose round
	// trip is checked: other owners, env references, zero-but-set pointers.
	variants []variant[T]
	// emptyLists, optional, sets the record's top-level lists and maps to
	// empty, non-nil values.
	emptyLists func(v *T)
	// mutate changes fields other than the key.
	mutate func(v *T)
	// key returns the record's key, as List orders by it.
	key func(v *T) string
	// longKeys: make accepts a key of the longest length allowed (255
	// bytes) and derives no longer field from it; keyField is the key's
	// JSON name.
	longKeys bool
	keyField string
	// generatesID: Create fills in an id when the key is empty; setKey
	// sets the key.
	generatesID bool
	setKey      func(v *T, key string)

	create func(configstore.ConfigStore, context.Context, *T) error
	get    func(s configstore.ConfigStore, ctx context.Context, id *T) (*T, error) // by id's key
	list   func(configstore.ConfigStore, context.Context) ([]T, error)
	update func(configstore.ConfigStore, context.Context, *T) error
	del    func(s configstore.ConfigStore, ctx context.Context, id *T) error // by id's key

	uniques []uniqueField[T]
	refs    []refField[T]
	invalid []invalidCase[T]
}

// variant is a change to a full record, for a further round trip.
type variant[T any] struct {
	name   string
	change func(v *T)
}

// uniqueField is a unique field besides the key: copy copies it from one
// record to another.
type uniqueField[T any] struct {
	name  string // "Name", for subtests "DuplicateName", ...
	copy  func(to, from *T)
	upper func(v *T) // changes the field's case
}

// refField is a reference field: dangle points it at a missing row.
type refField[T any] struct {
	path   string // the FieldError path, "team_id"
	dangle func(v *T)
}

// invalidCase breaks one validation rule; path is the field it names.
type invalidCase[T any] struct {
	name  string
	path  string
	apply func(v *T)
}

// getByKey and deleteByKey adapt a ConfigStore getter or deleter taking a
// key string to the by-record shape of kindSuite.
func getByKey[T any](f func(configstore.ConfigStore, context.Context, string) (*T, error), key func(*T) string) func(configstore.ConfigStore, context.Context, *T) (*T, error) {
	return func(s configstore.ConfigStore, ctx context.Context, v *T) (*T, error) { return f(s, ctx, key(v)) }
}

func deleteByKey[T any](f func(configstore.ConfigStore, context.Context, string) error, key func(*T) string) func(configstore.ConfigStore, context.Context, *T) error {
	return func(s configstore.ConfigStore, ctx context.Context, v *T) error { return f(s, ctx, key(v)) }
}

// The keys used by the generic tests, chosen so that bytewise order
// differs from insertion order, from case-insensitive order and from
// numeric order.
var listKeys = []string{"m-10", "B-upper", "m-9", "a-lower", "Zürich-✓", "m-1"}

func (k kindSuite[T]) tests() []test {
	ts := []test{
		{"Create", k.testCreate},
		{"GetNotFound", k.testGetNotFound},
		{"UpdateNotFound", k.testUpdateNotFound},
		{"DeleteNotFound", k.testDeleteNotFound},
		{"ListOrderedByKey", k.testList},
		{"Update", k.testUpdate},
		{"UpdateReplacesAllFields", k.testUpdateReplaces},
		{"UpdateStaleRevisionConflicts", k.testStaleRevision},
		{"UpdateFutureRevisionConflicts", k.testFutureRevision},
		{"UpdateRevisionZeroIsUnconditional", k.testRevisionZero},
		{"Delete", k.testDelete},
		{"RecreateAfterDelete", k.testRecreate},
		{"DuplicateID", k.testDuplicateID},
		{"KeysAreCaseSensitive", k.testCaseSensitiveKeys},
		{"CreateAndUpdateIgnoreCallerMeta", k.testCallerMeta},
		{"ValuesDoNotAliasTheStore", k.testNoAliasing},
		{"RoundTripAllFields", func(t *suiteT) { k.roundTrip(t, k.full()) }},
		{"RoundTripRequiredFieldsOnly", func(t *suiteT) { k.roundTrip(t, k.make("minimal-✓")) }},
		{"ConfigHashRejectedFromAPI", k.testConfigHashFromAPI},
		{"ConfigHashSetByConfigFile", k.testConfigHashFromFile},
		{"RolledBackCreateLeavesNothing", k.testRollback},
		{"GetInsideTransactionSeesCreate", k.testReadInsideTx},
	}
	for _, v := range k.variants {
		ts = append(ts, test{"RoundTrip" + v.name, func(t *suiteT) {
			rec := k.full()
			v.change(rec)
			k.roundTrip(t, rec)
		}})
	}
	if k.emptyLists != nil {
		ts = append(ts, test{"RoundTripEmptyListsStayEmpty", func(t *suiteT) {
			rec := k.make("empty-lists")
			k.emptyLists(rec)
			k.roundTrip(t, rec)
		}})
	}
	if k.generatesID {
		ts = append(ts, test{"CreateGeneratesID", k.testGeneratedID})
	}
	if k.longKeys {
		ts = append(ts, test{"KeyOf255Bytes", func(t *suiteT) {
			// 127 two-byte runes and one byte: the longest key allowed.
			k.roundTrip(t, k.make(strings.Repeat("ü", 127)+"k"))
		}}, test{"KeyOf256BytesInvalid", func(t *suiteT) {
			v := k.make(strings.Repeat("ü", 128))
			t.wantFieldErr(k.create(t.store, t.ctx, v), configstore.ErrInvalid, k.keyField, "create with a 256-byte key")
			t.wantNoChange(0, "a refused create")
		}})
	}
	for _, u := range k.uniques {
		ts = append(ts,
			test{"Duplicate" + u.name, func(t *suiteT) { k.testDuplicateUnique(t, u) }},
			test{"Duplicate" + u.name + "OnUpdate", func(t *suiteT) { k.testDuplicateUniqueOnUpdate(t, u) }},
			test{u.name + "ReusableAfterDelete", func(t *suiteT) { k.testUniqueReusable(t, u) }},
			test{u.name + "IsCaseSensitive", func(t *suiteT) { k.testUniqueCase(t, u) }},
		)
	}
	for _, r := range k.refs {
		ts = append(ts,
			test{"DanglingReference/" + r.path, func(t *suiteT) { k.testDangling(t, r, false) }},
			test{"DanglingReferenceOnUpdate/" + r.path, func(t *suiteT) { k.testDangling(t, r, true) }},
		)
	}
	for i, c := range k.invalid {
		ts = append(ts, test{"Invalid/" + c.name, func(t *suiteT) { k.testInvalid(t, c, false) }})
		if i == 0 {
			ts = append(ts, test{"InvalidOnUpdate/" + c.name, func(t *suiteT) { k.testInvalid(t, c, true) }})
		}
	}
	return ts
}

func (k kindSuite[T]) prepare(t *suiteT) {
	t.Helper()
	if k.setup != nil {
		k.setup(t)
	}
}

// mustCreate creates v and returns a copy of what Get then returns.
func (k kindSuite[T]) mustCreate(t *suiteT, v *T) *T {
	t.Helper()
	t.must(k.create(t.store, t.ctx, v), "create %s %q", k.kind, k.key(v))
	got, err := k.get(t.store, t.ctx, v)
	t.must(err, "get %s %q after create", k.kind, k.key(v))
	return got
}

// wantStored checks that the stored record equals want.
func (k kindSuite[T]) wantStored(t *suiteT, want *T, what string) {
	t.Helper()
	got, err := k.get(t.store, t.ctx, want)
	t.must(err, "%s: get %s %q", what, k.kind, k.key(want))
	t.equal(got, want, "%s: stored %s %q", what, k.kind, k.key(want))
}

// wantMissing checks that no record with v's key is stored.
func (k kindSuite[T]) wantMissing(t *suiteT, v *T, what string) {
	t.Helper()
	_, err := k.get(t.store, t.ctx, v)
	t.wantErr(err, configstore.ErrNotFound, "%s: get %s %q", what, k.kind, k.key(v))
}

func (k kindSuite[T]) testCreate(t *suiteT) {
	k.prepare(t)
	before := t.revision()
	v := k.make("create-1")
	input := k.make("create-1")
	t.must(k.create(t.store, t.ctx, v), "create")
	m := metaOf(v)
	if m.Revision != 1 {
		t.Fatalf("Create set Revision %d on the value, want 1", m.Revision)
	}
	checkStoreTime(t, m.CreatedAt, "CreatedAt")
	checkStoreTime(t, m.UpdatedAt, "UpdatedAt")
	if m.UpdatedAt.Before(m.CreatedAt) {
		t.Fatalf("UpdatedAt %v is before CreatedAt %v", m.UpdatedAt, m.CreatedAt)
	}
	copyServerFields(input, v)
	t.equal(v, input, "the value after Create (only Meta may change)")
	k.wantStored(t, input, "after Create")
	t.wantChanges(before, configstore.Change{Kind: k.kind, ID: k.key(v), Op: configstore.OpCreate})
}

func (k kindSuite[T]) testGetNotFound(t *suiteT) {
	k.prepare(t)
	k.mustCreate(t, k.make("present"))
	_, err := k.get(t.store, t.ctx, k.make("missing"))
	t.wantErr(err, configstore.ErrNotFound, "get a missing %s", k.kind)
}

func (k kindSuite[T]) testUpdateNotFound(t *suiteT) {
	k.prepare(t)
	before := t.revision()
	v := k.make("missing")
	t.wantErr(k.update(t.store, t.ctx, v), configstore.ErrNotFound, "update a missing %s", k.kind)
	k.wantMissing(t, v, "after the failed update")
	t.wantNoChange(before, "a failed update")
}

func (k kindSuite[T]) testDeleteNotFound(t *suiteT) {
	k.prepare(t)
	k.mustCreate(t, k.make("present"))
	before := t.revision()
	t.wantErr(k.del(t.store, t.ctx, k.make("missing")), configstore.ErrNotFound, "delete a missing %s", k.kind)
	t.wantNoChange(before, "a failed delete")
}

func (k kindSuite[T]) testList(t *suiteT) {
	k.prepare(t)
	before, err := k.list(t.store, t.ctx)
	t.must(err, "list before creating")
	want := slices.Clone(before)
	for _, key := range listKeys {
		v := k.make(key)
		t.must(k.create(t.store, t.ctx, v), "create %q", key)
		want = append(want, *v)
	}
	slices.SortFunc(want, func(a, b T) int { return strings.Compare(k.key(&a), k.key(&b)) })
	got, err := k.list(t.store, t.ctx)
	t.must(err, "list")
	gotKeys := make([]string, len(got))
	for i := range got {
		gotKeys[i] = k.key(&got[i])
	}
	wantKeys := make([]string, len(want))
	for i := range want {
		wantKeys[i] = k.key(&want[i])
	}
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("list returned keys %q, want %q (ordered bytewise by key)", gotKeys, wantKeys)
	}
	t.equal(got, want, "listed records")
	again, err := k.list(t.store, t.ctx)
	t.must(err, "list again")
	t.equal(again, got, "second list")
}

func (k kindSuite[T]) testUpdate(t *suiteT) {
	k.prepare(t)
	v := k.make("upd")
	t.must(k.create(t.store, t.ctx, v), "create")
	created := *metaOf(v)
	before := t.revision()
	k.mutate(v)
	want := *v
	t.must(k.update(t.store, t.ctx, v), "update")
	m := metaOf(v)
	if m.Revision != created.Revision+1 {
		t.Fatalf("Update set Revision %d on the value, want %d", m.Revision, created.Revision+1)
	}
	if !m.CreatedAt.Equal(created.CreatedAt) {
		t.Fatalf("Update changed CreatedAt from %v to %v", created.CreatedAt, m.CreatedAt)
	}
	checkStoreTime(t, m.UpdatedAt, "UpdatedAt")
	if m.UpdatedAt.Before(created.UpdatedAt) || m.UpdatedAt.Before(m.CreatedAt) {
		t.Fatalf("UpdatedAt went from %v to %v (CreatedAt %v): it must not go back", created.UpdatedAt, m.UpdatedAt, m.CreatedAt)
	}
	copyServerFields(&want, v)
	t.equal(v, &want, "the value after Update (only Meta may change)")
	k.wantStored(t, &want, "after Update")
	t.wantChanges(before, configstore.Change{Kind: k.kind, ID: k.key(v), Op: configstore.OpUpdate})

	// A second update raises the revision again.
	k.mutate(v)
	t.must(k.update(t.store, t.ctx, v), "second update")
	if got := metaOf(v).Revision; got != created.Revision+2 {
		t.Fatalf("second Update set Revision %d, want %d", got, created.Revision+2)
	}
}

func (k kindSuite[T]) testUpdateReplaces(t *suiteT) {
	k.prepare(t)
	full := k.full()
	t.must(k.create(t.store, t.ctx, full), "create full record")
	bareOf := func(v *T) *T { return k.make(k.key(v)) }
	if k.bare != nil {
		bareOf = k.bare
	}
	bare, want := bareOf(full), bareOf(full)
	t.must(k.update(t.store, t.ctx, bare), "update with only the required fields (revision 0)")
	copyServerFields(want, bare)
	k.wantStored(t, want, "after replacing every optional field by its zero value")
}

func (k kindSuite[T]) testStaleRevision(t *suiteT) {
	k.prepare(t)
	v := k.make("stale")
	t.must(k.create(t.store, t.ctx, v), "create")
	first, err := k.get(t.store, t.ctx, v)
	t.must(err, "get")
	second, err := k.get(t.store, t.ctx, v)
	t.must(err, "get")
	k.mutate(first)
	t.must(k.update(t.store, t.ctx, first), "update from the first read")
	before := t.revision()
	k.mutate(second)
	k.mutate(second)
	stale := *second
	t.wantErr(k.update(t.store, t.ctx, second), configstore.ErrConflict, "update from a stale read (revision %d)", metaOf(&stale).Revision)
	t.equal(second, &stale, "the value given to a failed Update")
	k.wantStored(t, first, "after the conflicting update")
	t.wantNoChange(before, "a conflicting update")
}

func (k kindSuite[T]) testFutureRevision(t *suiteT) {
	k.prepare(t)
	v := k.make("future")
	stored := k.mustCreate(t, v)
	k.mutate(v)
	metaOf(v).Revision = 99
	t.wantErr(k.update(t.store, t.ctx, v), configstore.ErrConflict, "update expecting revision 99 of a record at revision 1")
	k.wantStored(t, stored, "after the conflicting update")
}

func (k kindSuite[T]) testRevisionZero(t *suiteT) {
	k.prepare(t)
	v := k.make("rev0")
	t.must(k.create(t.store, t.ctx, v), "create")
	t.must(k.update(t.store, t.ctx, v), "update at revision 1")
	blind := k.make("rev0")
	k.mutate(blind)
	want := *blind
	t.must(k.update(t.store, t.ctx, blind), "update with Revision 0")
	if got := metaOf(blind).Revision; got != 3 {
		t.Fatalf("unconditional update set Revision %d, want 3", got)
	}
	if created := metaOf(v).CreatedAt; !metaOf(blind).CreatedAt.Equal(created) {
		t.Fatalf("an update given no CreatedAt changed it from %v to %v", created, metaOf(blind).CreatedAt)
	}
	copyServerFields(&want, blind)
	k.wantStored(t, &want, "after the unconditional update")
}

// testCallerMeta: the store manages revisions and times; what a caller
// puts there is ignored (except an update's expected Revision).
func (k kindSuite[T]) testCallerMeta(t *suiteT) {
	k.prepare(t)
	bogus := time.Date(2001, time.February, 3, 4, 5, 6, 0, time.UTC)
	v := k.make("meta")
	m := metaOf(v)
	m.Revision, m.CreatedAt, m.UpdatedAt = 7, bogus, bogus
	t.must(k.create(t.store, t.ctx, v), "create with Meta filled in")
	m = metaOf(v)
	if m.Revision != 1 || m.CreatedAt.Equal(bogus) || m.UpdatedAt.Equal(bogus) {
		t.Fatalf("create kept the caller's Meta: Revision %d, CreatedAt %v, UpdatedAt %v", m.Revision, m.CreatedAt, m.UpdatedAt)
	}
	created := m.CreatedAt
	k.wantStored(t, v, "after create")
	m.CreatedAt, m.UpdatedAt = bogus, bogus
	t.must(k.update(t.store, t.ctx, v), "update with times filled in")
	m = metaOf(v)
	if !m.CreatedAt.Equal(created) || m.UpdatedAt.Equal(bogus) || m.Revision != 2 {
		t.Fatalf("update kept the caller's times: Revision %d, CreatedAt %v (created %v), UpdatedAt %v", m.Revision, m.CreatedAt, created, m.UpdatedAt)
	}
	k.wantStored(t, v, "after update")
}

// testCaseSensitiveKeys: keys differing only in case are different keys.
func (k kindSuite[T]) testCaseSensitiveKeys(t *suiteT) {
	k.prepare(t)
	lower, upper := k.make("case-key"), k.make("CASE-KEY")
	t.must(k.create(t.store, t.ctx, lower), "create %q", k.key(lower))
	t.must(k.create(t.store, t.ctx, upper), "create %q, which differs only in case", k.key(upper))
	k.wantStored(t, lower, "the lower-case record")
	k.wantStored(t, upper, "the upper-case record")
	t.must(k.del(t.store, t.ctx, upper), "delete the upper-case record")
	k.wantStored(t, lower, "the lower-case record after the other's delete")
}

func (k kindSuite[T]) testDelete(t *suiteT) {
	k.prepare(t)
	keep := k.make("keep")
	t.must(k.create(t.store, t.ctx, keep), "create")
	v := k.make("doomed")
	t.must(k.create(t.store, t.ctx, v), "create")
	before := t.revision()
	t.must(k.del(t.store, t.ctx, v), "delete")
	k.wantMissing(t, v, "after Delete")
	t.wantChanges(before, configstore.Change{Kind: k.kind, ID: k.key(v), Op: configstore.OpDelete})
	all, err := k.list(t.store, t.ctx)
	t.must(err, "list")
	for i := range all {
		if k.key(&all[i]) == k.key(v) {
			t.Fatalf("list still returns the deleted %s %q", k.kind, k.key(v))
		}
	}
	k.wantStored(t, keep, "the other record")
	t.wantErr(k.del(t.store, t.ctx, v), configstore.ErrNotFound, "delete it again")
	t.wantErr(k.update(t.store, t.ctx, v), configstore.ErrNotFound, "update it after delete")
}

func (k kindSuite[T]) testRecreate(t *suiteT) {
	k.prepare(t)
	v := k.make("again")
	t.must(k.create(t.store, t.ctx, v), "create")
	k.mutate(v)
	t.must(k.update(t.store, t.ctx, v), "update")
	t.must(k.del(t.store, t.ctx, v), "delete")
	again := k.make("again")
	t.must(k.create(t.store, t.ctx, again), "create again with the same key")
	if got := metaOf(again).Revision; got != 1 {
		t.Fatalf("a record created again after a delete has Revision %d, want 1", got)
	}
	k.wantStored(t, again, "after re-creating")
}

func (k kindSuite[T]) testDuplicateID(t *suiteT) {
	k.prepare(t)
	first := k.mustCreate(t, k.make("dup"))
	before := t.revision()
	second := k.make("dup")
	k.mutate(second)
	t.wantErr(k.create(t.store, t.ctx, second), configstore.ErrAlreadyExists, "create a second %s with key %q", k.kind, k.key(second))
	k.wantStored(t, first, "the first record")
	t.wantNoChange(before, "a failed create")
}

func (k kindSuite[T]) testGeneratedID(t *suiteT) {
	k.prepare(t)
	a, b := k.make("gen-a"), k.make("gen-b")
	k.setKey(a, "")
	k.setKey(b, "")
	t.must(k.create(t.store, t.ctx, a), "create without an id")
	t.must(k.create(t.store, t.ctx, b), "create another without an id")
	if k.key(a) == "" || k.key(b) == "" {
		t.Fatalf("Create left the id empty (got %q and %q), want a generated one", k.key(a), k.key(b))
	}
	if k.key(a) == k.key(b) {
		t.Fatalf("two creates generated the same id %q", k.key(a))
	}
	k.wantStored(t, a, "a record with a generated id")
	k.wantStored(t, b, "a record with a generated id")
}

func (k kindSuite[T]) roundTrip(t *suiteT, v *T) {
	t.Helper()
	k.prepare(t)
	want := *v
	t.must(k.create(t.store, t.ctx, v), "create")
	copyServerFields(&want, v)
	t.equal(v, &want, "the value after Create (only Meta may change)")
	k.wantStored(t, &want, "Get after Create")
	all, err := k.list(t.store, t.ctx)
	t.must(err, "list")
	i := slices.IndexFunc(all, func(x T) bool { return k.key(&x) == k.key(&want) })
	if i < 0 {
		t.Fatalf("list does not return %s %q", k.kind, k.key(&want))
	}
	t.equal(&all[i], &want, "the record as List returns it")
	// Writing back what was read changes nothing but the Meta.
	got, err := k.get(t.store, t.ctx, &want)
	t.must(err, "get")
	t.must(k.update(t.store, t.ctx, got), "update with what Get returned")
	copyServerFields(&want, got)
	k.wantStored(t, &want, "Get after writing back what Get returned")
}

func (k kindSuite[T]) testConfigHashFromAPI(t *suiteT) {
	k.prepare(t)
	before := t.revision()
	v := k.make("hashed")
	metaOf(v).ConfigHash = strings.Repeat("ab", 32)
	err := k.create(t.store, t.ctx, v)
	t.wantFieldErr(err, configstore.ErrInvalid, "config_hash", "create with a config_hash through the API")
	k.wantMissing(t, v, "after the refused create")
	t.wantNoChange(before, "a refused create")
}

func (k kindSuite[T]) testConfigHashFromFile(t *suiteT) {
	k.prepare(t)
	hash1, hash2 := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	fileCtx := configstore.WithSource(t.ctx, configstore.SourceConfigFile)
	before := t.revision()
	v := k.make("hashed")
	metaOf(v).ConfigHash = hash1
	t.must(k.create(t.store, fileCtx, v), "create with a config_hash from config.json")
	t.wantChanges(before, configstore.Change{Kind: k.kind, ID: k.key(v), Op: configstore.OpCreate, Source: configstore.SourceConfigFile})
	if got := metaOf(v).ConfigHash; got != hash1 {
		t.Fatalf("ConfigHash after create is %q, want %q", got, hash1)
	}
	k.wantStored(t, v, "after create from config.json")

	// An API update without a hash keeps the stored one.
	api := k.make("hashed")
	k.mutate(api)
	t.must(k.update(t.store, t.ctx, api), "API update without config_hash")
	if got := metaOf(api).ConfigHash; got != hash1 {
		t.Fatalf("an API update changed ConfigHash to %q, want the stored %q kept", got, hash1)
	}
	k.wantStored(t, api, "after the API update")

	// An API update may not change it.
	metaOf(api).ConfigHash = hash2
	t.wantFieldErr(k.update(t.store, t.ctx, api), configstore.ErrInvalid, "config_hash", "API update setting another config_hash")

	// config.json may.
	file := k.make("hashed")
	metaOf(file).ConfigHash = hash2
	t.must(k.update(t.store, fileCtx, file), "update from config.json with a new hash")
	got, err := k.get(t.store, t.ctx, file)
	t.must(err, "get")
	if metaOf(got).ConfigHash != hash2 {
		t.Fatalf("ConfigHash after the config.json update is %q, want %q", metaOf(got).ConfigHash, hash2)
	}
}

func (k kindSuite[T]) testRollback(t *suiteT) {
	k.prepare(t)
	before := t.revision()
	v := k.make("rolled-back")
	errAbort := fmt.Errorf("abort the transaction")
	err := t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := k.create(tx, t.ctx, v); err != nil {
			return err
		}
		return errAbort
	})
	t.wantErr(err, errAbort, "ExecuteTransaction")
	k.wantMissing(t, v, "after the rolled-back transaction")
	t.wantNoChange(before, "a rolled-back transaction")
}

func (k kindSuite[T]) testReadInsideTx(t *suiteT) {
	k.prepare(t)
	v := k.make("in-tx")
	t.must(t.store.ExecuteTransaction(t.ctx, func(tx configstore.ConfigStore) error {
		if err := k.create(tx, t.ctx, v); err != nil {
			return err
		}
		got, err := k.get(tx, t.ctx, v)
		if err != nil {
			return fmt.Errorf("get inside the transaction: %w", err)
		}
		if d := diff(got, v); len(d) > 0 {
			return fmt.Errorf("get inside the transaction differs from the created value: %s", strings.Join(d, "; "))
		}
		all, err := k.list(tx, t.ctx)
		if err != nil {
			return fmt.Errorf("list inside the transaction: %w", err)
		}
		if !slices.ContainsFunc(all, func(x T) bool { return k.key(&x) == k.key(v) }) {
			return fmt.Errorf("list inside the transaction misses the created record")
		}
		return nil
	}), "transaction")
	k.wantStored(t, v, "after commit")
}

func (k kindSuite[T]) testDuplicateUnique(t *suiteT, u uniqueField[T]) {
	k.prepare(t)
	first := k.mustCreate(t, k.make("uniq-a"))
	before := t.revision()
	second := k.make("uniq-b")
	u.copy(second, first)
	err := k.create(t.store, t.ctx, second)
	t.wantErr(err, configstore.ErrAlreadyExists, "create a record with the same %s as another", u.name)
	k.wantMissing(t, second, "after the refused create")
	k.wantStored(t, first, "the first record")
	t.wantNoChange(before, "a refused create")
}

func (k kindSuite[T]) testDuplicateUniqueOnUpdate(t *suiteT, u uniqueField[T]) {
	k.prepare(t)
	first := k.mustCreate(t, k.make("uniq-a"))
	second := k.mustCreate(t, k.make("uniq-b"))
	stored := *second
	before := t.revision()
	u.copy(second, first)
	t.wantErr(k.update(t.store, t.ctx, second), configstore.ErrAlreadyExists, "update a record to the %s of another", u.name)
	k.wantStored(t, &stored, "the updated record")
	k.wantStored(t, first, "the other record")
	t.wantNoChange(before, "a refused update")
}

func (k kindSuite[T]) testUniqueReusable(t *suiteT, u uniqueField[T]) {
	k.prepare(t)
	first := k.mustCreate(t, k.make("uniq-a"))
	t.must(k.del(t.store, t.ctx, first), "delete")
	second := k.make("uniq-b")
	u.copy(second, first)
	t.must(k.create(t.store, t.ctx, second), "create a record with the %s of a deleted one", u.name)
	k.wantStored(t, second, "the new record")
}

// testUniqueCase: values of a unique field that differ only in case do
// not collide (no case-insensitive collation).
func (k kindSuite[T]) testUniqueCase(t *suiteT, u uniqueField[T]) {
	k.prepare(t)
	first := k.mustCreate(t, k.make("uniq-a"))
	second := k.make("uniq-b")
	u.copy(second, first)
	u.upper(second)
	t.must(k.create(t.store, t.ctx, second), "create a record whose %s differs from another's only in case", u.name)
	k.wantStored(t, second, "the new record")
	k.wantStored(t, first, "the first record")
}

func (k kindSuite[T]) testDangling(t *suiteT, r refField[T], onUpdate bool) {
	k.testRefused(t, r.dangle, onUpdate, configstore.ErrInvalidReference, r.path,
		"write a %s whose %s points at a missing row", k.kind, r.path)
}

func (k kindSuite[T]) testInvalid(t *suiteT, c invalidCase[T], onUpdate bool) {
	k.testRefused(t, c.apply, onUpdate, configstore.ErrInvalid, c.path, "write a %s with %s", k.kind, c.name)
}

// testRefused: a full record spoiled by spoil is refused on create (or on
// update of the stored record) with a FieldError wrapping sentinel at
// path, and nothing changes.
func (k kindSuite[T]) testRefused(t *suiteT, spoil func(*T), onUpdate bool, sentinel error, path, what string, args ...any) {
	k.prepare(t)
	v := k.full()
	var stored *T
	if onUpdate {
		stored = k.mustCreate(t, v)
	}
	before := t.revision()
	spoil(v)
	var err error
	if onUpdate {
		err = k.update(t.store, t.ctx, v)
	} else {
		err = k.create(t.store, t.ctx, v)
	}
	t.wantFieldErr(err, sentinel, path, what, args...)
	if onUpdate {
		k.wantStored(t, stored, "after the refused update")
	} else if k.key(v) != "" {
		k.wantMissing(t, v, "after the refused create")
	}
	t.wantNoChange(before, "a refused write")
}

// testNoAliasing: changing, after the call, the value given to Create or
// Update or returned by Get or List (its slices, maps, raw JSON, nested
// structs) does not change what is stored.
func (k kindSuite[T]) testNoAliasing(t *suiteT) {
	k.prepare(t)
	v, id := k.full(), k.full()
	orig := *v
	t.must(k.create(t.store, t.ctx, v), "create")
	stored, err := k.get(t.store, t.ctx, id)
	t.must(err, "get")
	scramble(reflect.ValueOf(&orig).Elem()) // the caller's slices and maps, as given
	scramble(reflect.ValueOf(v).Elem())     // what Create filled in
	k.wantStored(t, stored, "after changing the value given to Create")
	got, err := k.get(t.store, t.ctx, id)
	t.must(err, "get")
	scramble(reflect.ValueOf(got).Elem())
	all, err := k.list(t.store, t.ctx)
	t.must(err, "list")
	for i := range all {
		scramble(reflect.ValueOf(&all[i]).Elem())
	}
	k.wantStored(t, stored, "after changing values returned by Get and List")
	upd, err := k.get(t.store, t.ctx, id)
	t.must(err, "get")
	t.must(k.update(t.store, t.ctx, upd), "update")
	after, err := k.get(t.store, t.ctx, id)
	t.must(err, "get")
	scramble(reflect.ValueOf(upd).Elem())
	k.wantStored(t, after, "after changing the value given to Update")
}

// scramble overwrites, in place, the contents a value shares through
// pointers, slices and maps (strings, numbers, bools, bytes), leaving
// unexported fields alone.
func scramble(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scramble(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scramble(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			scramble(v.Index(i))
		}
	case reflect.Map:
		for _, key := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(key))
			if e.Kind() == reflect.Interface && !e.IsNil() {
				inner := reflect.New(e.Elem().Type()).Elem()
				inner.Set(e.Elem())
				scramble(inner)
				e.Set(inner)
			} else {
				scramble(e)
			}
			v.SetMapIndex(key, e)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString("scrambled")
		}
	case reflect.Uint8:
		if v.CanSet() {
			v.SetUint('x')
		}
	case reflect.Int, reflect.Int64:
		if v.CanSet() {
			v.SetInt(-99)
		}
	case reflect.Float64:
		if v.CanSet() {
			v.SetFloat(-99)
		}
	case reflect.Bool:
		if v.CanSet() {
			v.SetBool(!v.Bool())
		}
	}
}
