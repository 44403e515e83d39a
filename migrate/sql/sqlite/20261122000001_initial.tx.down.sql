-- Drops the configstore schema. Foreign keys are checked at commit, when every
-- table is gone.
PRAGMA defer_foreign_keys = ON;
DROP TABLE IF EXISTS configstore_state;
DROP TABLE IF EXISTS configstore_changes;
DROP TABLE IF EXISTS config_auth;
DROP TABLE IF EXISTS config_log_store;
DROP TABLE IF EXISTS config_vector_store;
DROP TABLE IF EXISTS config_client;
DROP TABLE IF EXISTS config_model_pricing;
DROP TABLE IF EXISTS config_virtual_key_mcp_configs;
DROP TABLE IF EXISTS config_virtual_key_provider_config_keys;
DROP TABLE IF EXISTS config_virtual_key_provider_configs;
DROP TABLE IF EXISTS config_plugins;
DROP TABLE IF EXISTS config_routing_rules;
DROP TABLE IF EXISTS config_budgets;
DROP TABLE IF EXISTS config_model_configs;
DROP TABLE IF EXISTS config_mcp_clients;
DROP TABLE IF EXISTS config_virtual_keys;
DROP TABLE IF EXISTS config_teams;
DROP TABLE IF EXISTS config_customers;
DROP TABLE IF EXISTS config_rate_limits;
DROP TABLE IF EXISTS config_keys;
DROP TABLE IF EXISTS config_providers;
