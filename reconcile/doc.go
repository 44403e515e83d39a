// Package reconcile brings config.json into a config store at startup: it
// plans what each entity needs (create, update, keep, prune, with a
// reason), applies the plan in one transaction, and implements the four
// setups of a gateway's startup. It depends only on configstore.ConfigStore,
// so it works on every backend.
package reconcile
