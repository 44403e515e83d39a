package configstore

// New returns the portable ConfigStore over backend.
func New(backend Backend) ConfigStore {
	panic("configstore.New: not implemented yet")
}
