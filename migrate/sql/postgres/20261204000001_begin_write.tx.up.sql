-- configstore_begin_write, called by the commands that begin a write
-- transaction (backends/postgres: beginWrite): it tries to take the
-- store's write lock, the transaction-scoped advisory lock (lock_class,
-- a hash of the schema), without waiting, and raises CSWLH when another
-- writer holds it; given expected_revision, it then raises CSNAE unless
-- the store revision is still that one. A procedure, not a DO block sent
-- each time: PostgreSQL compiles a DO block at every run, a procedure once
-- per session.
CREATE OR REPLACE PROCEDURE configstore_begin_write(lock_class integer, expected_revision bigint)
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT pg_try_advisory_xact_lock(lock_class, hashtext(current_schema())) THEN
		RAISE EXCEPTION 'the config store write lock is held by another writer' USING ERRCODE = 'CSWLH';
	END IF;
	IF expected_revision IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM configstore_state WHERE id = 'store' AND revision = expected_revision) THEN
		RAISE EXCEPTION 'the store revision changed since this process wrote it' USING ERRCODE = 'CSNAE';
	END IF;
END
$$;
