-- What begins every write transaction of the store (the postgres backend's
-- beginWrite): take the write lock without waiting and, when the writer
-- expects a row (configstore.Expecter), check that the row of
-- expect_table whose expect_key_column is expect_key has revision
-- expect_revision. It raises SQLSTATE CSWLH when another writer holds the
-- lock and CSNAE when the row is not as expected; the statements sent
-- after it then do not run. A procedure, compiled once per session: the DO
-- block it replaces was compiled on every write.
CREATE PROCEDURE configstore_begin_write(lock_class integer, expect_table text, expect_key_column text,
	expect_key text, expect_revision bigint)
LANGUAGE plpgsql AS $$
DECLARE
	as_expected boolean;
BEGIN
	IF NOT pg_try_advisory_xact_lock(lock_class, hashtext(current_schema())) THEN
		RAISE EXCEPTION 'the config store write lock is held by another writer' USING ERRCODE = 'CSWLH';
	END IF;
	IF expect_table IS NULL THEN
		RETURN;
	END IF;
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1 AND revision = $2)', expect_table, expect_key_column)
		INTO as_expected USING expect_key, expect_revision;
	IF NOT as_expected THEN
		RAISE EXCEPTION 'a row changed since this process wrote it' USING ERRCODE = 'CSNAE';
	END IF;
END
$$;
