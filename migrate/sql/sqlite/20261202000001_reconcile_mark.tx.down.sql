DELETE FROM configstore_state WHERE id = 'reconcile';
ALTER TABLE configstore_state DROP COLUMN digest;
