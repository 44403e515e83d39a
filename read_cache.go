package configstore

import (
	"context"
	"reflect"
	"sync"

	"github.com/gatewaykit/configstore/internal/deepcopy"
)

// readCache keeps the entities a store decoded from the snapshots of a
// backend in this process, and hands out copies of them while they are
// current: a point read is then a check, a map lookup and a copy instead
// of queries and a decode. The first point read of a kind loads every
// entity of the kind, so that the lookups of a gateway all hit from then
// on; an entity written since it was kept is read again, and kept, at its
// next read. Two backends have it: one whose snapshots have versions
// (SnapshotVersions: the memory backend), whose rows' versions tell
// whether an entry is current, and one whose database is in process
// (InProcess: SQLite), whose entries follow the change log from the store
// revision they are current at (see kindCache.refresh).
//
// An entity's value depends on its row, on its parts' rows, and on rows of
// other kinds its parts name (a virtual key's MCP client names). Its row
// (or its change-log entries) cover the first two: every write of an
// entity's parts writes its row and logs the entity (a virtual key's
// parts_digest, see virtualKeyParts.check). A write to one of the other
// kinds drops every entry of the entity kind; they are read again one by
// one.
type readCache struct {
	mu    sync.Mutex // guards kinds; each kindCache has its own
	kinds map[*Kind]*kindCache
	// logged: the backend reads in process (InProcess) but its snapshots
	// have no versions, so the entries follow the change log instead (see
	// kindCache.follow).
	logged bool
}

// kindCache holds the kept entities of one kind.
type kindCache struct {
	// turn guards the rest: a one-slot semaphore, so that a read waiting
	// for another's (a load of the whole kind) can give up when its
	// context ends.
	turn chan struct{}
	// tried: the whole kind was read once, or the read failed (a kind
	// with an entity that does not decode is kept entity by entity).
	tried bool
	// stamped: the entries are current at the stamp (see stamp).
	stamped bool
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

// kindOf returns the cache of ek's kind, created empty the first time.
func kindOf[T any, P entityPtr[T]](c *readCache, ek entityKind[T, P]) *kindCache {
	c.mu.Lock()
	defer c.mu.Unlock()
	kc := c.kinds[ek.kind]
	if kc == nil {
		kc = &kindCache{turn: make(chan struct{}, 1), dependsOn: dependKinds(ek), fields: uniqueFields[T](ek.kind)}
		kc.clear()
		c.kinds[ek.kind] = kc
	}
	return kc
}

// drop forgets everything, for a store that is closed.
func (c *readCache) drop() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.kinds)
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
	v, _, served, err = cachedRead(ctx, c, r, ek,
		func(kc *kindCache) *cachedEntity { return kc.entries[key] },
		func(snap Reader) (*T, bool, error) {
			v, err := readOne(ctx, snap, ek, key)
			return v, err == nil, err
		})
	return v, served, err
}

// cachedGetBy is cachedGet of the entity whose field, that of a
// single-field unique constraint on text, holds the stored value; found
// is false when no entity does.
func cachedGetBy[T any, P entityPtr[T]](ctx context.Context, c *readCache, r Reader, ek entityKind[T, P], field, value string) (v *T, found, served bool, err error) {
	return cachedRead(ctx, c, r, ek,
		func(kc *kindCache) *cachedEntity { return kc.unique[field][value] },
		func(snap Reader) (*T, bool, error) { return readOneBy(ctx, snap, ek, field, value) })
}

// cachedRead is a point read through the cache: a copy of the entry entry
// finds when it is current, else what read reads from the snapshot
// (found false: nothing), kept.
func cachedRead[T any, P entityPtr[T]](ctx context.Context, c *readCache, r Reader, ek entityKind[T, P],
	entry func(kc *kindCache) *cachedEntity, read func(snap Reader) (*T, bool, error)) (v *T, found, served bool, err error) {
	snap, sv, ok := c.reader(r)
	if !ok {
		return nil, false, false, nil
	}
	kc := kindOf(c, ek)
	if err := kc.lock(ctx); err != nil {
		return nil, false, true, err
	}
	defer kc.unlock()
	if err := prepare(ctx, kc, snap, sv, ek); err != nil {
		return nil, false, true, err
	}
	if v, ok := hit[T](kc, entry(kc), sv, ek.kind); ok {
		return v, true, true, nil
	}
	if v, found, err = read(snap); !found {
		return nil, false, true, err
	}
	keep(kc, sv, ek, v)
	return deepcopy.Of(v), true, true, nil
}

// prepare makes kc current with snapshot r: on the kind's first use it
// reads every entity; later it drops the entries that are not current,
// all of them when a kind their parts name was written.
func prepare[T any, P entityPtr[T]](ctx context.Context, kc *kindCache, r Reader, sv SnapshotVersions, ek entityKind[T, P]) error {
	if kc.stamped {
		current, err := kc.refresh(ctx, r, sv, ek.kind)
		if err != nil || current {
			return err
		}
		kc.clear()
	}
	var vs []T
	if !kc.tried {
		kc.tried = true
		var err error
		if vs, err = readEntities(ctx, r, ek, Query{}); err != nil {
			if ctx.Err() != nil {
				return err
			}
			vs = nil // kept entity by entity, each read failing on its own
		}
	}
	if err := kc.stamp(ctx, r, sv); err != nil {
		return err
	}
	for i := range vs {
		keep(kc, sv, ek, &vs[i])
	}
	return nil
}

// lock takes kc's turn, or fails when ctx ends first.
func (kc *kindCache) lock(ctx context.Context) error {
	select {
	case kc.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unlock gives kc's turn back.
func (kc *kindCache) unlock() { <-kc.turn }

// clear drops every entry; the next read stamps the cache again.
func (kc *kindCache) clear() {
	kc.stamped = false
	kc.entries = make(map[string]*cachedEntity)
	kc.unique = make(map[string]map[string]*cachedEntity, len(kc.fields))
	for _, f := range kc.fields {
		kc.unique[f.Name] = make(map[string]*cachedEntity)
	}
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
		if err != nil || val.null || val.s == "" {
			continue
		}
		e.unique[i] = val.s
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
