DROP PROCEDURE configstore_begin_write(integer, text, text, text, bigint);
