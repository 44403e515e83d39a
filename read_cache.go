package configstore

import (
	"context"
	"reflect"
	"slices"
	"sync"

	"github.com/gatewaykit/configstore/internal/deepcopy"
)

// readCache keeps the entities a store decoded from the snapshots of a
// backend whose Reader implements SnapshotVersions (the memory backend's),
// and hands out copies of them while their rows are unchanged: a point
// read is then a version check, a map lookup and a copy instead of a query
// and a decode. The first point read of a kind that misses loads every
// entity of the kind, so that the lookups of a gateway all hit from then
// on; an entity written since it was kept is read again, and kept, at its
// next read.
//
// An entity's value depends on its row, on its parts' rows, and on rows of
// other kinds its parts name (a virtual key's MCP client names). The row's
// version covers the first two: every write of an entity's parts writes
// its row (a virtual key's parts_digest, see virtualKeyParts.check). The
// versions of the other kinds cover the third: a write to any of them
// drops every entry of the entity kind.
type readCache struct {
	mu    sync.Mutex
	kinds map[*Kind]*kindCache
	// logged: the backend reads in process (InProcess) but its snapshots
	// have no versions, so the entries follow the change log instead (see
	// kindCache.follow).
	logged bool
}

// kindCache holds the kept entities of one kind.
type kindCache struct {
	// loaded: every entity of the kind was read once; a miss since reads
	// one entity.
	loaded bool
	// dependsOn lists the kinds the entities' parts name, and depends
	// their versions as the entries were read; checked is the version of
	// the last snapshot they were found current in.
	dependsOn []*Kind
	depends   []any
	checked   uint64
	// rev is the store revision the entries are current at, when they
	// follow the change log.
	rev     int64
	entries map[string]*cachedEntity
	// fields are the fields of the kind's single-field unique constraints
	// on text; unique maps each one's name to its stored values in the
	// entries, each to its entry.
	fields []*fieldCodec
	unique map[string]map[string]*cachedEntity
}

// cachedEntity is one kept entity: a *T that is never modified, with the
// version of its row and the version of the last snapshot that row was
// found in.
type cachedEntity struct {
	key     string
	version any
	checked uint64
	value   any
	// unique holds the entity's stored values of kindCache.fields, in
	// their order ("" for NULL).
	unique []string
}

// newReadCache returns the cache of a store on backend b.
func newReadCache(b Backend) *readCache {
	ip, ok := b.(InProcess)
	return &readCache{kinds: make(map[*Kind]*kindCache), logged: ok && ip.InProcess()}
}

// reader returns the snapshot r reads, unwrapped, when the cache serves
// reads of it (only a store that reads snapshots has a cache), with its
// versions when it has them (else the cache follows the change log).
func (c *readCache) reader(r Reader) (Reader, SnapshotVersions, bool) {
	if c == nil {
		return nil, nil, false
	}
	if o, ok := r.(ownRead); ok {
		r = o.Reader
	}
	sv, ok := r.(SnapshotVersions)
	return r, sv, ok || c.logged
}

// cachedGet returns a copy of the entity of ek with key as the snapshot r
// holds it, from the cache while the entity's row is the one it was read
// from, else read (with the whole kind on the kind's first miss) and kept.
// served is false, and nothing is read, when the cache does not serve r.
func cachedGet[T any, P entityPtr[T]](ctx context.Context, c *readCache, r Reader, ek entityKind[T, P], key string) (v *T, served bool, err error) {
	snap, sv, ok := c.reader(r)
	if !ok {
		return nil, false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kc, err := cacheOf(ctx, c, snap, sv, ek)
	if err != nil {
		return nil, true, err
	}
	if v, ok := hit[T](kc.entries[key], sv, ek.kind); ok {
		return v, true, nil
	}
	v, err = readOne(ctx, snap, ek, key)
	if err != nil {
		kc.forget(key)
		return nil, true, err
	}
	keep(kc, sv, ek, v)
	return deepcopy.Of(v), true, nil
}

// cachedGetBy is cachedGet of the entity whose field, that of a
// single-field unique constraint on text, holds the stored value; found
// is false when no entity does.
func cachedGetBy[T any, P entityPtr[T]](ctx context.Context, c *readCache, r Reader, ek entityKind[T, P], field, value string) (v *T, found, served bool, err error) {
	snap, sv, ok := c.reader(r)
	if !ok {
		return nil, false, false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kc, err := cacheOf(ctx, c, snap, sv, ek)
	if err != nil {
		return nil, false, true, err
	}
	if v, ok := hit[T](kc.unique[field][value], sv, ek.kind); ok {
		return v, true, true, nil
	}
	vs, err := readEntities(ctx, snap, ek, Query{Where: []Condition{Eq(field, value)}})
	if err != nil || len(vs) == 0 {
		return nil, false, true, err
	}
	keep(kc, sv, ek, &vs[0])
	return deepcopy.Of(&vs[0]), true, true, nil
}

// cacheOf returns the cache of ek's kind, current with snapshot r: its
// entries dropped if a kind its parts name was written since they were
// read, and every entity read the first time.
func cacheOf[T any, P entityPtr[T]](ctx context.Context, c *readCache, r Reader, sv SnapshotVersions, ek entityKind[T, P]) (*kindCache, error) {
	kc := c.kinds[ek.kind]
	if kc == nil {
		kc = &kindCache{dependsOn: dependKinds(ek)}
		c.kinds[ek.kind] = kc
	}
	var version uint64
	var depends []any
	var rev int64
	if sv != nil {
		version = sv.Version()
		if kc.loaded && (kc.checked == version || kc.current(sv)) {
			kc.checked = version
			return kc, nil
		}
		depends = make([]any, len(kc.dependsOn))
		for i, k := range kc.dependsOn {
			depends[i] = sv.KindVersion(k)
		}
	} else {
		var err error
		if rev, err = storeRevision(ctx, r); err != nil {
			return nil, err
		}
		if kc.loaded {
			if err := kc.follow(ctx, r, ek.kind, rev); err != nil || kc.loaded {
				return kc, err
			}
		}
	}
	vs, err := readEntities(ctx, r, ek, Query{})
	if err != nil {
		return nil, err
	}
	*kc = kindCache{loaded: true, dependsOn: kc.dependsOn, depends: depends, checked: version, rev: rev,
		entries: make(map[string]*cachedEntity, len(vs)), fields: uniqueFields[T](ek.kind),
		unique: make(map[string]map[string]*cachedEntity)}
	for i := range vs {
		keep(kc, sv, ek, &vs[i])
	}
	return kc, nil
}

// dependKinds returns the kinds ek's parts name: the kinds of its parts'
// lists that are not parts.
func dependKinds[T any, P entityPtr[T]](ek entityKind[T, P]) []*Kind {
	if ek.parts == nil {
		return nil
	}
	var out []*Kind
	for _, l := range ek.parts.lists(selection{kind: ek.kind}) {
		if !l.Kind.Part {
			out = append(out, l.Kind)
		}
	}
	return out
}

// current reports whether no kind the entities' parts name was written
// between the entries' reads and sv's snapshot.
func (kc *kindCache) current(sv SnapshotVersions) bool {
	for i, k := range kc.dependsOn {
		if sv.KindVersion(k) != kc.depends[i] {
			return false
		}
	}
	return true
}

// hit returns a copy of the value of entry e (nil: none) when it holds the
// row sv's snapshot holds: found there before in a snapshot of the same
// version, or now.
func hit[T any](e *cachedEntity, sv SnapshotVersions, kind *Kind) (*T, bool) {
	if e == nil {
		return nil, false
	}
	if sv == nil { // the entries follow the change log: all current
		return deepcopy.Of(e.value.(*T)), true
	}
	if version := sv.Version(); e.checked != version {
		if row, ok := sv.RowVersion(kind, e.key); !ok || row != e.version {
			return nil, false
		}
		e.checked = version
	}
	return deepcopy.Of(e.value.(*T)), true
}

// keep stores v, as sv's snapshot holds it, as the entry of its key. The
// cache keeps v itself: the caller hands out copies only.
func keep[T any, P entityPtr[T]](kc *kindCache, sv SnapshotVersions, ek entityKind[T, P], v *T) {
	key := P(v).key()
	kc.forget(key)
	e := &cachedEntity{key: key, value: v, unique: make([]string, len(kc.fields))}
	if sv != nil {
		var ok bool
		if e.version, ok = sv.RowVersion(ek.kind, key); !ok {
			return
		}
		e.checked = sv.Version()
	}
	rv := reflect.ValueOf(v).Elem()
	for i, f := range kc.fields {
		val, err := f.encode(rv)
		if err != nil || val.null {
			continue
		}
		e.unique[i] = val.s
		if kc.unique[f.Name] == nil {
			kc.unique[f.Name] = make(map[string]*cachedEntity)
		}
		kc.unique[f.Name][val.s] = e
	}
	kc.entries[key] = e
}

// forget drops the entry of key and its unique values.
func (kc *kindCache) forget(key string) {
	e := kc.entries[key]
	if e == nil {
		return
	}
	delete(kc.entries, key)
	for i, f := range kc.fields {
		if e.unique[i] != "" && kc.unique[f.Name][e.unique[i]] == e {
			delete(kc.unique[f.Name], e.unique[i])
		}
	}
}

// uniqueFields returns the fields of T's codec that are single-field
// unique constraints of kind on text.
func uniqueFields[T any](kind *Kind) []*fieldCodec {
	c := codecFor(reflect.TypeFor[T]())
	var out []*fieldCodec
	for _, u := range kind.Unique {
		for i := range c.fields {
			if f := &c.fields[i]; len(u) == 1 && f.Name == u[0] && f.Type == TypeText {
				out = append(out, f)
			}
		}
	}
	return out
}

// follow brings entries current at revision kc.rev to rev, the revision
// of snapshot r, as the change log between them tells: it forgets the
// entities of kind that changed, and every entity (kc.loaded false) when
// a kind their parts name changed, when kind was replaced whole, or when
// the store is at an earlier revision than they are (it was replaced).
// Every write of the portable layer is in the log, so are the writes of
// other processes to the same database; a write to the database around
// the store is not, and is not seen until its entity's next write.
func (kc *kindCache) follow(ctx context.Context, r Reader, kind *Kind, rev int64) error {
	switch {
	case rev == kc.rev:
		return nil
	case rev < kc.rev:
		kc.loaded = false
		return nil
	}
	recs, err := r.List(ctx, kindChange, Query{Where: []Condition{Greater("revision", kc.rev)}})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		changed, _ := rec["kind"].(string)
		op, _ := rec["op"].(string)
		switch {
		case changed == kind.Name && op != string(OpReplace):
			id, _ := rec["entity_id"].(string)
			kc.forget(id)
		case changed == kind.Name || slices.ContainsFunc(kc.dependsOn, func(k *Kind) bool { return k.Name == changed }):
			kc.loaded = false
			return nil
		}
	}
	kc.rev = rev
	return nil
}
