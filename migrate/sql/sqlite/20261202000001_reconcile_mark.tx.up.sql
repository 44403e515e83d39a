-- The reconcile mark (configstore.ReconcileMark): a configstore_state row,
-- id 'reconcile', whose revision is the store revision a config.json
-- reconcile left and whose digest is the reconciler's digest of that file.
ALTER TABLE configstore_state ADD COLUMN digest TEXT;
