package configstore

// ownRead is the Reader of a read that is a snapshot of its own, not a part
// of a transaction or of a larger snapshot: the end of its fn is the end of
// the snapshot, so its last call may end it (see LastReader).
type ownRead struct{ Reader }

// lastCall tells the backend that the caller's next call on r is the last
// of its read, when r is a read of its own and the backend listens; the
// caller makes no call on r after that one.
func lastCall(r Reader) {
	if o, ok := r.(ownRead); ok {
		if l, ok := o.Reader.(LastReader); ok {
			l.Last()
		}
	}
}
