package configstore

import "context"

// CachedEntries returns how many entities of kind the read cache of s, a
// store New returned, keeps: for tests of what it forgets.
func CachedEntries(s ConfigStore, kind string) int {
	kc := cacheOfKind(s, kind)
	if kc == nil {
		return 0
	}
	_ = kc.lock(context.Background())
	defer kc.unlock()
	return len(kc.entries)
}

// HoldCacheTurn takes the turn of kind's cache in the read cache of s (the
// kind must have been read once) until release is called.
func HoldCacheTurn(s ConfigStore, kind string) (release func()) {
	kc := cacheOfKind(s, kind)
	if kc == nil {
		panic("no cache of kind " + kind)
	}
	_ = kc.lock(context.Background())
	return kc.unlock
}

// cacheOfKind returns the cache of the kind named kind in the read cache
// of s, nil before the kind's first read.
func cacheOfKind(s ConfigStore, kind string) *kindCache {
	c := s.(*store).cache
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, kc := range c.kinds {
		if k.Name == kind {
			return kc
		}
	}
	return nil
}
