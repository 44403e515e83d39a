// Package conformance is the importable test suite that proves a
// configstore backend: Run exercises every behaviour of the ConfigStore
// through the portable layer (configstore.New) over the harness's backend,
// a fresh, empty backend per subtest. Every backend of this module runs
// it, and so should a third party's:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, conformance.Harness{Open: func(t *testing.T) configstore.Backend {
//			b, err := mybackend.Open(t.Context(), t.TempDir())
//			if err != nil {
//				t.Fatal(err)
//			}
//			return b
//		}})
//	}
//
// The subtests are grouped by entity kind (Provider, Key, VirtualKey,
// Budget, RateLimit, Customer, Team, Plugin, MCPClient, RoutingRule,
// ModelConfig, ModelPricing and the settings sections ClientConfig,
// VectorStoreConfig, LogStoreConfig, AuthConfig) and by cross-cutting
// behaviour (Transaction, BatchedInserts, Concurrency, ChangeLog, Context,
// SharedStorage),
// and named by the behaviour they check, such as VirtualKey/DuplicateName,
// Provider/DeleteCascadesKeys, Transaction/PanicRollsBack,
// Concurrency/NoLostUpdates or ChangeLog/OneEntryPerEntity.
//
// For each kind the suite checks create, get, list (ordered bytewise by
// key), update with per-record revisions and optimistic concurrency,
// delete, not-found errors, duplicate keys and unique fields, dangling
// references and their field paths, the Restrict and Cascade delete rules,
// validation errors and their field paths, secrets (stored as given,
// references unresolved, never printed, a redacted write-back keeping the
// secret, also inside free-form JSON), and the exact round trip of every field: unicode, nil versus
// empty lists, raw JSON byte for byte, times in UTC at millisecond
// precision, nil versus set pointers.
//
// The Transaction group checks atomic commit and rollback (on an error and
// on a panic), reads inside a transaction, isolation from readers outside
// it, and nested transactions; the BatchedInserts group runs those tests
// again with configstore.WithBatchedInserts (as a config.json apply runs)
// and checks what batching changes: a duplicate fails at the flush, rows
// of interleaved kinds are written in an order their references allow;
// the Concurrency group checks that
// concurrent read-modify-write cycles lose no update and that readers only
// ever see whole transactions; the ChangeLog group checks the store
// revision and the change log. The SharedStorage group, run when the
// harness sets Reopen, checks that committed data survives reopening the
// storage and that several backends on one storage (gateway nodes sharing
// a database) share one revision, serialize their write transactions and
// never see one another's uncommitted writes.
//
// Subtests run sequentially and need no sleeps: concurrent tests
// coordinate with channels. A subtest or a group the backend cannot pass
// by design is skipped through Harness.Skip, with the reason.
package conformance
