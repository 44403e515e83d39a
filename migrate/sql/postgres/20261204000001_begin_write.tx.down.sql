DROP PROCEDURE IF EXISTS configstore_begin_write(integer, bigint);
