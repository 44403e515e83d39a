package configstore

// CachedEntries returns how many entities of kind the read cache of s, a
// store New returned, keeps: for tests of what it forgets.
func CachedEntries(s ConfigStore, kind string) int {
	c := s.(*store).cache
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, kc := range c.kinds {
		if k.Name == kind {
			kc.mu.Lock()
			defer kc.mu.Unlock()
			return len(kc.entries)
		}
	}
	return 0
}
