-- The digest of the rows a virtual key's provider configs, their key lists
-- and its MCP configs are stored as (VirtualKey.PartsDigest), kept by every
-- write of the key: an update that leaves them as they are compares it
-- instead of reading them. NULL (keys written before) reads them. A
-- migration that rewrites those rows must set it to NULL.
ALTER TABLE config_virtual_keys ADD COLUMN parts_digest TEXT;
