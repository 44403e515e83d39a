-- configstore schema for SQLite: one table per kind of record, as declared in
-- the Go package github.com/gatewaykit/configstore (kinds.go); a test compares
-- this schema with those declarations.
--
-- Column types (the tables are STRICT, so SQLite enforces them):
--   TEXT     text; text compares bytewise (BINARY collation)
--   INTEGER  64-bit integers, and booleans as 0 (false) / 1 (true)
--   REAL     64-bit floating point
--   TEXT     times ("-- time"): UTC, ISO 8601 with milliseconds,
--            2026-11-22T03:04:05.678Z; they sort in time order
--   TEXT     JSON documents ("-- JSON"), stored exactly as written
--
-- Every table has a text primary key. Foreign keys (enforced with
-- PRAGMA foreign_keys = ON, which the backend sets on every connection) use
-- ON DELETE CASCADE where deleting the referenced row deletes its referrers,
-- and ON DELETE NO ACTION where referrers block the delete. Every referencing
-- column is indexed.

-- LLM providers, keyed by name (openai, anthropic, ...).
CREATE TABLE config_providers (
    name                        TEXT    NOT NULL,
    network_config              TEXT, -- JSON
    concurrency_and_buffer_size TEXT, -- JSON
    proxy_config                TEXT, -- JSON
    send_back_raw_request       INTEGER NOT NULL, -- boolean
    send_back_raw_response      INTEGER NOT NULL, -- boolean
    store_raw_request_response  INTEGER NOT NULL, -- boolean
    custom_provider_config      TEXT, -- JSON
    revision                    INTEGER NOT NULL,
    created_at                  TEXT    NOT NULL, -- time
    updated_at                  TEXT    NOT NULL, -- time
    config_hash                 TEXT,
    CONSTRAINT config_providers_pkey PRIMARY KEY (name)
) STRICT;

-- Provider API keys; deleting a provider deletes its keys. value is a secret
-- (a literal or an env.NAME reference).
CREATE TABLE config_keys (
    id                   TEXT    NOT NULL,
    provider             TEXT    NOT NULL,
    name                 TEXT    NOT NULL,
    value                TEXT    NOT NULL,
    models               TEXT, -- JSON
    blacklisted_models   TEXT, -- JSON
    weight               REAL    NOT NULL,
    enabled              INTEGER, -- boolean
    use_for_batch_api    INTEGER NOT NULL, -- boolean
    aliases              TEXT, -- JSON
    azure_key_config     TEXT, -- JSON
    vertex_key_config    TEXT, -- JSON
    bedrock_key_config   TEXT, -- JSON
    vllm_key_config      TEXT, -- JSON
    ollama_key_config    TEXT, -- JSON
    sgl_key_config       TEXT, -- JSON
    replicate_key_config TEXT, -- JSON
    revision             INTEGER NOT NULL,
    created_at           TEXT    NOT NULL, -- time
    updated_at           TEXT    NOT NULL, -- time
    config_hash          TEXT,
    CONSTRAINT config_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_keys_name_key UNIQUE (name),
    CONSTRAINT config_keys_provider_fkey FOREIGN KEY (provider)
        REFERENCES config_providers (name) ON DELETE CASCADE
) STRICT;

-- Rate limits: token and request limits; *_current_usage and *_last_reset are
-- runtime state.
CREATE TABLE config_rate_limits (
    id                     TEXT    NOT NULL,
    token_max_limit        INTEGER,
    token_reset_duration   TEXT    NOT NULL,
    request_max_limit      INTEGER,
    request_reset_duration TEXT    NOT NULL,
    calendar_aligned       INTEGER NOT NULL, -- boolean
    token_current_usage    INTEGER NOT NULL,
    token_last_reset       TEXT, -- time
    request_current_usage  INTEGER NOT NULL,
    request_last_reset     TEXT, -- time
    revision               INTEGER NOT NULL,
    created_at             TEXT    NOT NULL, -- time
    updated_at             TEXT    NOT NULL, -- time
    config_hash            TEXT,
    CONSTRAINT config_rate_limits_pkey PRIMARY KEY (id)
) STRICT;

-- Customers, with an optional budget and rate limit.
CREATE TABLE config_customers (
    id               TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    budget_id        TEXT,
    rate_limit_id    TEXT,
    calendar_aligned INTEGER NOT NULL, -- boolean
    revision         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- time
    updated_at       TEXT    NOT NULL, -- time
    config_hash      TEXT,
    CONSTRAINT config_customers_pkey PRIMARY KEY (id),
    CONSTRAINT config_customers_budget_id_fkey FOREIGN KEY (budget_id)
        REFERENCES config_budgets (id) ON DELETE NO ACTION,
    CONSTRAINT config_customers_rate_limit_id_fkey FOREIGN KEY (rate_limit_id)
        REFERENCES config_rate_limits (id) ON DELETE NO ACTION
) STRICT;

-- Teams, optionally belonging to a customer.
CREATE TABLE config_teams (
    id               TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    customer_id      TEXT,
    budget_id        TEXT,
    rate_limit_id    TEXT,
    calendar_aligned INTEGER NOT NULL, -- boolean
    profile          TEXT, -- JSON
    config           TEXT, -- JSON
    claims           TEXT, -- JSON
    revision         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- time
    updated_at       TEXT    NOT NULL, -- time
    config_hash      TEXT,
    CONSTRAINT config_teams_pkey PRIMARY KEY (id),
    CONSTRAINT config_teams_name_key UNIQUE (name),
    CONSTRAINT config_teams_customer_id_fkey FOREIGN KEY (customer_id)
        REFERENCES config_customers (id) ON DELETE NO ACTION,
    CONSTRAINT config_teams_budget_id_fkey FOREIGN KEY (budget_id)
        REFERENCES config_budgets (id) ON DELETE NO ACTION,
    CONSTRAINT config_teams_rate_limit_id_fkey FOREIGN KEY (rate_limit_id)
        REFERENCES config_rate_limits (id) ON DELETE NO ACTION
) STRICT;

-- Virtual keys; value is a secret. A virtual key belongs to a team or a
-- customer (not both).
CREATE TABLE config_virtual_keys (
    id               TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    value            TEXT    NOT NULL,
    is_active        INTEGER NOT NULL, -- boolean
    calendar_aligned INTEGER NOT NULL, -- boolean
    team_id          TEXT,
    customer_id      TEXT,
    rate_limit_id    TEXT,
    revision         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- time
    updated_at       TEXT    NOT NULL, -- time
    config_hash      TEXT,
    CONSTRAINT config_virtual_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_keys_name_key UNIQUE (name),
    CONSTRAINT config_virtual_keys_value_key UNIQUE (value),
    CONSTRAINT config_virtual_keys_team_id_fkey FOREIGN KEY (team_id)
        REFERENCES config_teams (id) ON DELETE NO ACTION,
    CONSTRAINT config_virtual_keys_customer_id_fkey FOREIGN KEY (customer_id)
        REFERENCES config_customers (id) ON DELETE NO ACTION,
    CONSTRAINT config_virtual_keys_rate_limit_id_fkey FOREIGN KEY (rate_limit_id)
        REFERENCES config_rate_limits (id) ON DELETE NO ACTION
) STRICT;

-- MCP clients, keyed by client_id. connection_string and headers hold secrets.
CREATE TABLE config_mcp_clients (
    client_id                 TEXT    NOT NULL,
    name                      TEXT    NOT NULL,
    is_code_mode_client       INTEGER NOT NULL, -- boolean
    connection_type           TEXT    NOT NULL,
    connection_string         TEXT    NOT NULL,
    auth_type                 TEXT    NOT NULL,
    headers                   TEXT, -- JSON
    stdio_config              TEXT, -- JSON
    tools_to_execute          TEXT, -- JSON
    tools_to_auto_execute     TEXT, -- JSON
    tool_sync_interval        TEXT    NOT NULL,
    allowed_extra_headers     TEXT, -- JSON
    is_ping_available         INTEGER NOT NULL, -- boolean
    allow_on_all_virtual_keys INTEGER NOT NULL, -- boolean
    disabled                  INTEGER NOT NULL, -- boolean
    revision                  INTEGER NOT NULL,
    created_at                TEXT    NOT NULL, -- time
    updated_at                TEXT    NOT NULL, -- time
    config_hash               TEXT,
    CONSTRAINT config_mcp_clients_pkey PRIMARY KEY (client_id),
    CONSTRAINT config_mcp_clients_name_key UNIQUE (name)
) STRICT;

-- Per-model settings with an optional budget and rate limit.
CREATE TABLE config_model_configs (
    id               TEXT    NOT NULL,
    model_name       TEXT    NOT NULL,
    provider         TEXT    NOT NULL,
    scope            TEXT    NOT NULL,
    scope_id         TEXT    NOT NULL,
    budget_id        TEXT,
    rate_limit_id    TEXT,
    calendar_aligned INTEGER NOT NULL, -- boolean
    revision         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- time
    updated_at       TEXT    NOT NULL, -- time
    config_hash      TEXT,
    CONSTRAINT config_model_configs_pkey PRIMARY KEY (id),
    CONSTRAINT config_model_configs_budget_id_fkey FOREIGN KEY (budget_id)
        REFERENCES config_budgets (id) ON DELETE NO ACTION,
    CONSTRAINT config_model_configs_rate_limit_id_fkey FOREIGN KEY (rate_limit_id)
        REFERENCES config_rate_limits (id) ON DELETE NO ACTION
) STRICT;

-- Budgets, owned by at most one of a virtual key, team, customer or model
-- config: deleting the owner deletes the budget. current_usage and last_reset
-- are runtime state.
CREATE TABLE config_budgets (
    id               TEXT    NOT NULL,
    max_limit        REAL    NOT NULL,
    reset_duration   TEXT    NOT NULL,
    calendar_aligned INTEGER NOT NULL, -- boolean
    virtual_key_id   TEXT,
    team_id          TEXT,
    customer_id      TEXT,
    model_config_id  TEXT,
    current_usage    REAL    NOT NULL,
    last_reset       TEXT, -- time
    revision         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL, -- time
    updated_at       TEXT    NOT NULL, -- time
    config_hash      TEXT,
    CONSTRAINT config_budgets_pkey PRIMARY KEY (id),
    CONSTRAINT config_budgets_virtual_key_id_fkey FOREIGN KEY (virtual_key_id)
        REFERENCES config_virtual_keys (id) ON DELETE CASCADE,
    CONSTRAINT config_budgets_team_id_fkey FOREIGN KEY (team_id)
        REFERENCES config_teams (id) ON DELETE CASCADE,
    CONSTRAINT config_budgets_customer_id_fkey FOREIGN KEY (customer_id)
        REFERENCES config_customers (id) ON DELETE CASCADE,
    CONSTRAINT config_budgets_model_config_id_fkey FOREIGN KEY (model_config_id)
        REFERENCES config_model_configs (id) ON DELETE CASCADE
) STRICT;

-- Routing rules (CEL expression, targets, fallbacks).
CREATE TABLE config_routing_rules (
    id             TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    enabled        INTEGER NOT NULL, -- boolean
    cel_expression TEXT    NOT NULL,
    chain_rule     INTEGER NOT NULL, -- boolean
    targets        TEXT, -- JSON
    fallbacks      TEXT, -- JSON
    scope          TEXT    NOT NULL,
    scope_id       TEXT    NOT NULL,
    priority       INTEGER NOT NULL,
    query          TEXT, -- JSON
    revision       INTEGER NOT NULL,
    created_at     TEXT    NOT NULL, -- time
    updated_at     TEXT    NOT NULL, -- time
    config_hash    TEXT,
    CONSTRAINT config_routing_rules_pkey PRIMARY KEY (id)
) STRICT;

-- Plugins, keyed by name.
CREATE TABLE config_plugins (
    name        TEXT    NOT NULL,
    enabled     INTEGER NOT NULL, -- boolean
    config      TEXT, -- JSON
    path        TEXT,
    version     INTEGER NOT NULL,
    placement   TEXT    NOT NULL,
    sort_order  INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    created_at  TEXT    NOT NULL, -- time
    updated_at  TEXT    NOT NULL, -- time
    config_hash TEXT,
    CONSTRAINT config_plugins_pkey PRIMARY KEY (name)
) STRICT;

-- The provider configs of a virtual key (part of the virtual key).
CREATE TABLE config_virtual_key_provider_configs (
    id                 TEXT    NOT NULL,
    virtual_key_id     TEXT    NOT NULL,
    position           INTEGER NOT NULL,
    provider           TEXT    NOT NULL,
    weight             REAL,
    allowed_models     TEXT, -- JSON
    blacklisted_models TEXT, -- JSON
    rate_limit_id      TEXT,
    all_keys           INTEGER NOT NULL, -- boolean
    CONSTRAINT config_virtual_key_provider_configs_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_key_provider_configs_virtual_key_id_provider_key UNIQUE (virtual_key_id, provider),
    CONSTRAINT config_virtual_key_provider_configs_virtual_key_id_fkey FOREIGN KEY (virtual_key_id)
        REFERENCES config_virtual_keys (id) ON DELETE CASCADE,
    CONSTRAINT config_virtual_key_provider_configs_rate_limit_id_fkey FOREIGN KEY (rate_limit_id)
        REFERENCES config_rate_limits (id) ON DELETE NO ACTION
) STRICT;

-- The keys a virtual key's provider config may use (all_keys = every key of
-- the provider instead).
CREATE TABLE config_virtual_key_provider_config_keys (
    id                 TEXT    NOT NULL,
    provider_config_id TEXT    NOT NULL,
    position           INTEGER NOT NULL,
    key_id             TEXT    NOT NULL,
    CONSTRAINT config_virtual_key_provider_config_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_vk_provider_config_keys_provider_config_id_key_id_key UNIQUE (provider_config_id, key_id),
    CONSTRAINT config_virtual_key_provider_config_keys_provider_config_id_fkey FOREIGN KEY (provider_config_id)
        REFERENCES config_virtual_key_provider_configs (id) ON DELETE CASCADE,
    CONSTRAINT config_virtual_key_provider_config_keys_key_id_fkey FOREIGN KEY (key_id)
        REFERENCES config_keys (id) ON DELETE NO ACTION
) STRICT;

-- The MCP clients (and tools) a virtual key may use.
CREATE TABLE config_virtual_key_mcp_configs (
    id               TEXT    NOT NULL,
    virtual_key_id   TEXT    NOT NULL,
    position         INTEGER NOT NULL,
    mcp_client_id    TEXT    NOT NULL,
    tools_to_execute TEXT, -- JSON
    CONSTRAINT config_virtual_key_mcp_configs_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_key_mcp_configs_virtual_key_id_mcp_client_id_key UNIQUE (virtual_key_id, mcp_client_id),
    CONSTRAINT config_virtual_key_mcp_configs_virtual_key_id_fkey FOREIGN KEY (virtual_key_id)
        REFERENCES config_virtual_keys (id) ON DELETE CASCADE,
    CONSTRAINT config_virtual_key_mcp_configs_mcp_client_id_fkey FOREIGN KEY (mcp_client_id)
        REFERENCES config_mcp_clients (client_id) ON DELETE NO ACTION
) STRICT;

-- Model pricing, unique by (model, provider, mode); replaced in bulk by a
-- pricing sync.
CREATE TABLE config_model_pricing (
    id                          TEXT    NOT NULL,
    model                       TEXT    NOT NULL,
    provider                    TEXT    NOT NULL,
    mode                        TEXT    NOT NULL,
    input_cost_per_token        REAL    NOT NULL,
    output_cost_per_token       REAL    NOT NULL,
    input_cost_per_request      REAL,
    input_cost_per_image        REAL,
    cache_read_input_token_cost REAL,
    revision                    INTEGER NOT NULL,
    created_at                  TEXT    NOT NULL, -- time
    updated_at                  TEXT    NOT NULL, -- time
    config_hash                 TEXT,
    CONSTRAINT config_model_pricing_pkey PRIMARY KEY (id),
    CONSTRAINT config_model_pricing_model_provider_mode_key UNIQUE (model, provider, mode)
) STRICT;

-- Settings sections of config.json (this one and the next three): one row
-- each, id 'default'.
CREATE TABLE config_client (
    id                                         TEXT    NOT NULL,
    drop_excess_requests                       INTEGER NOT NULL, -- boolean
    initial_pool_size                          INTEGER NOT NULL,
    prometheus_labels                          TEXT, -- JSON
    allowed_origins                            TEXT, -- JSON
    enable_logging                             INTEGER NOT NULL, -- boolean
    disable_content_logging                    INTEGER NOT NULL, -- boolean
    allow_per_request_content_storage_override INTEGER NOT NULL, -- boolean
    allow_per_request_raw_override             INTEGER NOT NULL, -- boolean
    disable_db_pings_in_health                 INTEGER NOT NULL, -- boolean
    log_retention_days                         INTEGER NOT NULL,
    enforce_auth_on_inference                  INTEGER NOT NULL, -- boolean
    max_request_body_size_mb                   INTEGER NOT NULL,
    compat                                     TEXT, -- JSON
    header_filter_config                       TEXT, -- JSON
    async_job_result_ttl                       INTEGER NOT NULL,
    required_headers                           TEXT, -- JSON
    logging_headers                            TEXT, -- JSON
    whitelisted_routes                         TEXT, -- JSON
    hide_deleted_virtual_keys_in_filters       INTEGER NOT NULL, -- boolean
    allowed_headers                            TEXT, -- JSON
    allow_direct_keys                          INTEGER NOT NULL, -- boolean
    mcp_tool_execution_timeout                 INTEGER NOT NULL,
    mcp_code_mode_binding_level                TEXT    NOT NULL,
    mcp_tool_sync_interval                     INTEGER NOT NULL,
    mcp_disable_auto_tool_inject               INTEGER NOT NULL, -- boolean
    mcp_enable_temp_token_auth                 INTEGER NOT NULL, -- boolean
    routing_chain_max_depth                    INTEGER NOT NULL,
    revision                                   INTEGER NOT NULL,
    created_at                                 TEXT    NOT NULL, -- time
    updated_at                                 TEXT    NOT NULL, -- time
    config_hash                                TEXT,
    CONSTRAINT config_client_pkey PRIMARY KEY (id)
) STRICT;

CREATE TABLE config_vector_store (
    id          TEXT    NOT NULL,
    enabled     INTEGER NOT NULL, -- boolean
    type        TEXT    NOT NULL,
    config      TEXT, -- JSON
    revision    INTEGER NOT NULL,
    created_at  TEXT    NOT NULL, -- time
    updated_at  TEXT    NOT NULL, -- time
    config_hash TEXT,
    CONSTRAINT config_vector_store_pkey PRIMARY KEY (id)
) STRICT;

CREATE TABLE config_log_store (
    id          TEXT    NOT NULL,
    enabled     INTEGER NOT NULL, -- boolean
    type        TEXT    NOT NULL,
    config      TEXT, -- JSON
    revision    INTEGER NOT NULL,
    created_at  TEXT    NOT NULL, -- time
    updated_at  TEXT    NOT NULL, -- time
    config_hash TEXT,
    CONSTRAINT config_log_store_pkey PRIMARY KEY (id)
) STRICT;

-- admin_password is a secret.
CREATE TABLE config_auth (
    id                        TEXT    NOT NULL,
    admin_username            TEXT    NOT NULL,
    admin_password            TEXT    NOT NULL,
    is_enabled                INTEGER NOT NULL, -- boolean
    disable_auth_on_inference INTEGER NOT NULL, -- boolean
    revision                  INTEGER NOT NULL,
    created_at                TEXT    NOT NULL, -- time
    updated_at                TEXT    NOT NULL, -- time
    config_hash               TEXT,
    CONSTRAINT config_auth_pkey PRIMARY KEY (id)
) STRICT;

-- The change log: one row per changed entity per committed write
-- transaction, keyed by revision/sequence.
CREATE TABLE configstore_changes (
    id         TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    entity_id  TEXT    NOT NULL,
    op         TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    changed_at TEXT    NOT NULL, -- time
    CONSTRAINT configstore_changes_pkey PRIMARY KEY (id)
) STRICT;

-- The store revision: one row, id 'store', raised by every committed write
-- transaction.
CREATE TABLE configstore_state (
    id       TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    CONSTRAINT configstore_state_pkey PRIMARY KEY (id)
) STRICT;


-- Indexes on the referencing columns.
CREATE INDEX config_keys_provider_idx ON config_keys (provider);
CREATE INDEX config_customers_budget_id_idx ON config_customers (budget_id);
CREATE INDEX config_customers_rate_limit_id_idx ON config_customers (rate_limit_id);
CREATE INDEX config_teams_customer_id_idx ON config_teams (customer_id);
CREATE INDEX config_teams_budget_id_idx ON config_teams (budget_id);
CREATE INDEX config_teams_rate_limit_id_idx ON config_teams (rate_limit_id);
CREATE INDEX config_virtual_keys_team_id_idx ON config_virtual_keys (team_id);
CREATE INDEX config_virtual_keys_customer_id_idx ON config_virtual_keys (customer_id);
CREATE INDEX config_virtual_keys_rate_limit_id_idx ON config_virtual_keys (rate_limit_id);
CREATE INDEX config_model_configs_budget_id_idx ON config_model_configs (budget_id);
CREATE INDEX config_model_configs_rate_limit_id_idx ON config_model_configs (rate_limit_id);
CREATE INDEX config_budgets_virtual_key_id_idx ON config_budgets (virtual_key_id);
CREATE INDEX config_budgets_team_id_idx ON config_budgets (team_id);
CREATE INDEX config_budgets_customer_id_idx ON config_budgets (customer_id);
CREATE INDEX config_budgets_model_config_id_idx ON config_budgets (model_config_id);
-- config_virtual_key_provider_configs.virtual_key_id: indexed by the unique constraint that starts with it.
CREATE INDEX config_virtual_key_provider_configs_rate_limit_id_idx ON config_virtual_key_provider_configs (rate_limit_id);
-- config_virtual_key_provider_config_keys.provider_config_id: indexed by the unique constraint that starts with it.
CREATE INDEX config_virtual_key_provider_config_keys_key_id_idx ON config_virtual_key_provider_config_keys (key_id);
-- config_virtual_key_mcp_configs.virtual_key_id: indexed by the unique constraint that starts with it.
CREATE INDEX config_virtual_key_mcp_configs_mcp_client_id_idx ON config_virtual_key_mcp_configs (mcp_client_id);

-- ListChanges reads the change log by revision.
CREATE INDEX configstore_changes_revision_idx ON configstore_changes (revision);

-- The store starts at revision 0.
INSERT INTO configstore_state (id, revision) VALUES ('store', 0);
