package configstore

import "fmt"

// Sealer is an optional Backend capability: a backend that can be made
// read-only after it was loaded. The memory backend has it; file-only mode
// (config_store.enabled: false) loads config.json into a memory store and
// then seals it.
type Sealer interface {
	// Seal makes every later write fail with ErrReadOnly.
	Seal()
}

// Seal makes store read-only from now on: every later write fails with
// ErrReadOnly. It fails with ErrInvalid when cs was not opened by this
// package or its backend does not implement Sealer.
func Seal(cs ConfigStore) error {
	s, ok := cs.(*store)
	if !ok {
		return &messageError{err: ErrInvalid, msg: fmt.Sprintf("seal: %T is not a store opened by configstore", cs)}
	}
	sealer, ok := s.backend.(Sealer)
	if !ok {
		return &messageError{err: ErrInvalid, msg: fmt.Sprintf("seal: backend %T cannot be made read-only", s.backend)}
	}
	sealer.Seal()
	return nil
}
