package configstore

import "context"

// CachedEntries returns how many entities of kind the read cache of s, a
// store New returned, keeps: for tests of what it forgets.
func CachedEntries(s ConfigStore, kind string) int {
	c := s.(*store).cache
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, kc := range c.kinds {
		if k.Name == kind {
			_ = kc.lock(context.Background())
			defer kc.unlock()
			return len(kc.entries)
		}
	}
	return 0
}

// HoldCacheTurn takes the turn of kind's cache in the read cache of s (the
// kind must have been read once) until release is called.
func HoldCacheTurn(s ConfigStore, kind string) (release func()) {
	c := s.(*store).cache
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, kc := range c.kinds {
		if k.Name == kind {
			_ = kc.lock(context.Background())
			return kc.unlock
		}
	}
	panic("no cache of kind " + kind)
}
