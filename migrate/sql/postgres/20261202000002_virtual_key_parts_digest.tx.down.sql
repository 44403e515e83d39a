ALTER TABLE config_virtual_keys DROP COLUMN parts_digest;
