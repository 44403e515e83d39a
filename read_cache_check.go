package configstore

import (
	"context"
	"slices"

	"github.com/gatewaykit/configstore/internal/deepcopy"
)

// refresh brings the entries of kc to snapshot r (sv its versions, nil
// for a backend in process) and reports whether they may stay; when not,
// the caller drops them all.
func (kc *kindCache) refresh(ctx context.Context, r Reader, sv SnapshotVersions, kind *Kind) (bool, error) {
	if sv != nil {
		version := sv.Version()
		if kc.checked != version && !kc.current(sv) {
			return false, nil
		}
		kc.checked = version
		return true, nil
	}
	rev, err := storeRevision(ctx, r)
	if err != nil {
		return false, err
	}
	return kc.follow(ctx, r, kind, rev)
}

// stamp records, for entries just read from snapshot r, what refresh
// checks: the versions of the kinds their parts name, or the store
// revision.
func (kc *kindCache) stamp(ctx context.Context, r Reader, sv SnapshotVersions) error {
	if sv != nil {
		kc.checked = sv.Version()
		kc.depends = make([]any, len(kc.dependsOn))
		for i, k := range kc.dependsOn {
			kc.depends[i] = sv.KindVersion(k)
		}
	} else {
		rev, err := storeRevision(ctx, r)
		if err != nil {
			return err
		}
		kc.rev = rev
	}
	kc.stamped = true
	return nil
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

// hit returns a copy of the value of kc's entry e (nil: none) when it
// holds the row sv's snapshot holds: found there before in a snapshot of
// the same version, or now. An entry whose row was written or deleted
// since is forgotten.
func hit[T any](kc *kindCache, e *cachedEntity, sv SnapshotVersions, kind *Kind) (*T, bool) {
	if e == nil {
		return nil, false
	}
	if sv == nil { // the entries follow the change log: all current
		return deepcopy.Of(e.value.(*T)), true
	}
	if version := sv.Version(); e.checked != version {
		if row, ok := sv.RowVersion(kind, e.key); !ok || row != e.version {
			kc.forget(e.key)
			return nil, false
		}
		e.checked = version
	}
	return deepcopy.Of(e.value.(*T)), true
}

// follow brings entries current at revision kc.rev to rev, the revision
// of snapshot r, as the change log between them tells: it forgets the
// entities of kind that changed. It reports false (drop every entry)
// when a kind their parts name changed, when kind was replaced whole, or
// when the store is at an earlier revision than they are (it was
// replaced).
// Every write of the portable layer is in the log, so are the writes of
// other processes to the same database; a write to the database around
// the store is not, and is not seen until its entity's next write.
func (kc *kindCache) follow(ctx context.Context, r Reader, kind *Kind, rev int64) (bool, error) {
	switch {
	case rev == kc.rev:
		return true, nil
	case rev < kc.rev:
		return false, nil
	}
	recs, err := r.List(ctx, kindChange, Query{Where: []Condition{afterRevision(kc.rev)}})
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		changed, _ := rec["kind"].(string)
		op, _ := rec["op"].(string)
		switch {
		case changed == kind.Name && op != string(OpReplace):
			id, _ := rec["entity_id"].(string)
			kc.forget(id)
		case changed == kind.Name || slices.ContainsFunc(kc.dependsOn, func(k *Kind) bool { return k.Name == changed }):
			return false, nil
		}
	}
	kc.rev = rev
	return true, nil
}
