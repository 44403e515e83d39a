-- configstore schema for PostgreSQL: one table per kind of record, as declared
-- in the Go package github.com/gatewaykit/configstore (kinds.go); a test
-- compares this schema with those declarations.
--
-- Text columns use COLLATE "C": they compare and sort bytewise, like SQLite.
-- JSON documents are json (not jsonb), so they keep their exact text. Times
-- are timestamptz, written with millisecond precision.
--
-- Every table has a text primary key. The references form cycles (a team
-- refers to its budget, a budget to its owning team), so the foreign keys are
-- added with ALTER TABLE once every table exists. ON DELETE CASCADE: deleting
-- the referenced row deletes its referrers; ON DELETE NO ACTION: referrers
-- block the delete (checked at the end of the statement, so rows deleted by
-- the same cascade do not count). Every referencing column is indexed.

-- LLM providers, keyed by name (openai, anthropic, ...).
CREATE TABLE config_providers (
    name                        text COLLATE "C" NOT NULL,
    network_config              json,
    concurrency_and_buffer_size json,
    proxy_config                json,
    send_back_raw_request       boolean          NOT NULL,
    send_back_raw_response      boolean          NOT NULL,
    store_raw_request_response  boolean          NOT NULL,
    custom_provider_config      json,
    revision                    bigint           NOT NULL,
    created_at                  timestamptz      NOT NULL,
    updated_at                  timestamptz      NOT NULL,
    config_hash                 text COLLATE "C",
    CONSTRAINT config_providers_pkey PRIMARY KEY (name)
);

-- Provider API keys; deleting a provider deletes its keys. value is a secret
-- (a literal or an env.NAME reference).
CREATE TABLE config_keys (
    id                   text COLLATE "C" NOT NULL,
    provider             text COLLATE "C" NOT NULL,
    name                 text COLLATE "C" NOT NULL,
    value                text COLLATE "C" NOT NULL,
    models               json,
    blacklisted_models   json,
    weight               double precision NOT NULL,
    enabled              boolean,
    use_for_batch_api    boolean          NOT NULL,
    aliases              json,
    azure_key_config     json,
    vertex_key_config    json,
    bedrock_key_config   json,
    vllm_key_config      json,
    ollama_key_config    json,
    sgl_key_config       json,
    replicate_key_config json,
    revision             bigint           NOT NULL,
    created_at           timestamptz      NOT NULL,
    updated_at           timestamptz      NOT NULL,
    config_hash          text COLLATE "C",
    CONSTRAINT config_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_keys_name_key UNIQUE (name)
);

-- Rate limits: token and request limits; *_current_usage and *_last_reset are
-- runtime state.
CREATE TABLE config_rate_limits (
    id                     text COLLATE "C" NOT NULL,
    token_max_limit        bigint,
    token_reset_duration   text COLLATE "C" NOT NULL,
    request_max_limit      bigint,
    request_reset_duration text COLLATE "C" NOT NULL,
    calendar_aligned       boolean          NOT NULL,
    token_current_usage    bigint           NOT NULL,
    token_last_reset       timestamptz,
    request_current_usage  bigint           NOT NULL,
    request_last_reset     timestamptz,
    revision               bigint           NOT NULL,
    created_at             timestamptz      NOT NULL,
    updated_at             timestamptz      NOT NULL,
    config_hash            text COLLATE "C",
    CONSTRAINT config_rate_limits_pkey PRIMARY KEY (id)
);

-- Customers, with an optional budget and rate limit.
CREATE TABLE config_customers (
    id               text COLLATE "C" NOT NULL,
    name             text COLLATE "C" NOT NULL,
    budget_id        text COLLATE "C",
    rate_limit_id    text COLLATE "C",
    calendar_aligned boolean          NOT NULL,
    revision         bigint           NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    config_hash      text COLLATE "C",
    CONSTRAINT config_customers_pkey PRIMARY KEY (id)
);

-- Teams, optionally belonging to a customer.
CREATE TABLE config_teams (
    id               text COLLATE "C" NOT NULL,
    name             text COLLATE "C" NOT NULL,
    customer_id      text COLLATE "C",
    budget_id        text COLLATE "C",
    rate_limit_id    text COLLATE "C",
    calendar_aligned boolean          NOT NULL,
    profile          json,
    config           json,
    claims           json,
    revision         bigint           NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    config_hash      text COLLATE "C",
    CONSTRAINT config_teams_pkey PRIMARY KEY (id),
    CONSTRAINT config_teams_name_key UNIQUE (name)
);

-- Virtual keys; value is a secret. A virtual key belongs to a team or a
-- customer (not both).
CREATE TABLE config_virtual_keys (
    id               text COLLATE "C" NOT NULL,
    name             text COLLATE "C" NOT NULL,
    description      text COLLATE "C" NOT NULL,
    value            text COLLATE "C" NOT NULL,
    is_active        boolean          NOT NULL,
    calendar_aligned boolean          NOT NULL,
    team_id          text COLLATE "C",
    customer_id      text COLLATE "C",
    rate_limit_id    text COLLATE "C",
    revision         bigint           NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    config_hash      text COLLATE "C",
    CONSTRAINT config_virtual_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_keys_name_key UNIQUE (name),
    CONSTRAINT config_virtual_keys_value_key UNIQUE (value)
);

-- MCP clients, keyed by client_id. connection_string and headers hold secrets.
CREATE TABLE config_mcp_clients (
    client_id                 text COLLATE "C" NOT NULL,
    name                      text COLLATE "C" NOT NULL,
    is_code_mode_client       boolean          NOT NULL,
    connection_type           text COLLATE "C" NOT NULL,
    connection_string         text COLLATE "C" NOT NULL,
    auth_type                 text COLLATE "C" NOT NULL,
    headers                   json,
    stdio_config              json,
    tools_to_execute          json,
    tools_to_auto_execute     json,
    tool_sync_interval        text COLLATE "C" NOT NULL,
    allowed_extra_headers     json,
    is_ping_available         boolean          NOT NULL,
    allow_on_all_virtual_keys boolean          NOT NULL,
    disabled                  boolean          NOT NULL,
    revision                  bigint           NOT NULL,
    created_at                timestamptz      NOT NULL,
    updated_at                timestamptz      NOT NULL,
    config_hash               text COLLATE "C",
    CONSTRAINT config_mcp_clients_pkey PRIMARY KEY (client_id),
    CONSTRAINT config_mcp_clients_name_key UNIQUE (name)
);

-- Per-model settings with an optional budget and rate limit.
CREATE TABLE config_model_configs (
    id               text COLLATE "C" NOT NULL,
    model_name       text COLLATE "C" NOT NULL,
    provider         text COLLATE "C" NOT NULL,
    scope            text COLLATE "C" NOT NULL,
    scope_id         text COLLATE "C" NOT NULL,
    budget_id        text COLLATE "C",
    rate_limit_id    text COLLATE "C",
    calendar_aligned boolean          NOT NULL,
    revision         bigint           NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    config_hash      text COLLATE "C",
    CONSTRAINT config_model_configs_pkey PRIMARY KEY (id)
);

-- Budgets, owned by at most one of a virtual key, team, customer or model
-- config: deleting the owner deletes the budget. current_usage and last_reset
-- are runtime state.
CREATE TABLE config_budgets (
    id               text COLLATE "C" NOT NULL,
    max_limit        double precision NOT NULL,
    reset_duration   text COLLATE "C" NOT NULL,
    calendar_aligned boolean          NOT NULL,
    virtual_key_id   text COLLATE "C",
    team_id          text COLLATE "C",
    customer_id      text COLLATE "C",
    model_config_id  text COLLATE "C",
    current_usage    double precision NOT NULL,
    last_reset       timestamptz,
    revision         bigint           NOT NULL,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    config_hash      text COLLATE "C",
    CONSTRAINT config_budgets_pkey PRIMARY KEY (id)
);

-- Routing rules (CEL expression, targets, fallbacks).
CREATE TABLE config_routing_rules (
    id             text COLLATE "C" NOT NULL,
    name           text COLLATE "C" NOT NULL,
    description    text COLLATE "C" NOT NULL,
    enabled        boolean          NOT NULL,
    cel_expression text COLLATE "C" NOT NULL,
    chain_rule     boolean          NOT NULL,
    targets        json,
    fallbacks      json,
    scope          text COLLATE "C" NOT NULL,
    scope_id       text COLLATE "C" NOT NULL,
    priority       bigint           NOT NULL,
    query          json,
    revision       bigint           NOT NULL,
    created_at     timestamptz      NOT NULL,
    updated_at     timestamptz      NOT NULL,
    config_hash    text COLLATE "C",
    CONSTRAINT config_routing_rules_pkey PRIMARY KEY (id)
);

-- Plugins, keyed by name.
CREATE TABLE config_plugins (
    name        text COLLATE "C" NOT NULL,
    enabled     boolean          NOT NULL,
    config      json,
    path        text COLLATE "C",
    version     bigint           NOT NULL,
    placement   text COLLATE "C" NOT NULL,
    sort_order  bigint           NOT NULL,
    revision    bigint           NOT NULL,
    created_at  timestamptz      NOT NULL,
    updated_at  timestamptz      NOT NULL,
    config_hash text COLLATE "C",
    CONSTRAINT config_plugins_pkey PRIMARY KEY (name)
);

-- The provider configs of a virtual key (part of the virtual key).
CREATE TABLE config_virtual_key_provider_configs (
    id                 text COLLATE "C" NOT NULL,
    virtual_key_id     text COLLATE "C" NOT NULL,
    position           bigint           NOT NULL,
    provider           text COLLATE "C" NOT NULL,
    weight             double precision,
    allowed_models     json,
    blacklisted_models json,
    rate_limit_id      text COLLATE "C",
    all_keys           boolean          NOT NULL,
    CONSTRAINT config_virtual_key_provider_configs_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_key_provider_configs_virtual_key_id_provider_key UNIQUE (virtual_key_id, provider)
);

-- The keys a virtual key's provider config may use (all_keys = every key of
-- the provider instead).
CREATE TABLE config_virtual_key_provider_config_keys (
    id                 text COLLATE "C" NOT NULL,
    provider_config_id text COLLATE "C" NOT NULL,
    position           bigint           NOT NULL,
    key_id             text COLLATE "C" NOT NULL,
    CONSTRAINT config_virtual_key_provider_config_keys_pkey PRIMARY KEY (id),
    CONSTRAINT config_vk_provider_config_keys_provider_config_id_key_id_key UNIQUE (provider_config_id, key_id)
);

-- The MCP clients (and tools) a virtual key may use.
CREATE TABLE config_virtual_key_mcp_configs (
    id               text COLLATE "C" NOT NULL,
    virtual_key_id   text COLLATE "C" NOT NULL,
    position         bigint           NOT NULL,
    mcp_client_id    text COLLATE "C" NOT NULL,
    tools_to_execute json,
    CONSTRAINT config_virtual_key_mcp_configs_pkey PRIMARY KEY (id),
    CONSTRAINT config_virtual_key_mcp_configs_virtual_key_id_mcp_client_id_key UNIQUE (virtual_key_id, mcp_client_id)
);

-- Model pricing, unique by (model, provider, mode); replaced in bulk by a
-- pricing sync.
CREATE TABLE config_model_pricing (
    id                          text COLLATE "C" NOT NULL,
    model                       text COLLATE "C" NOT NULL,
    provider                    text COLLATE "C" NOT NULL,
    mode                        text COLLATE "C" NOT NULL,
    input_cost_per_token        double precision NOT NULL,
    output_cost_per_token       double precision NOT NULL,
    input_cost_per_request      double precision,
    input_cost_per_image        double precision,
    cache_read_input_token_cost double precision,
    revision                    bigint           NOT NULL,
    created_at                  timestamptz      NOT NULL,
    updated_at                  timestamptz      NOT NULL,
    config_hash                 text COLLATE "C",
    CONSTRAINT config_model_pricing_pkey PRIMARY KEY (id),
    CONSTRAINT config_model_pricing_model_provider_mode_key UNIQUE (model, provider, mode)
);

-- Settings sections of config.json (this one and the next three): one row
-- each, id 'default'.
CREATE TABLE config_client (
    id                                         text COLLATE "C" NOT NULL,
    drop_excess_requests                       boolean          NOT NULL,
    initial_pool_size                          bigint           NOT NULL,
    prometheus_labels                          json,
    allowed_origins                            json,
    enable_logging                             boolean          NOT NULL,
    disable_content_logging                    boolean          NOT NULL,
    allow_per_request_content_storage_override boolean          NOT NULL,
    allow_per_request_raw_override             boolean          NOT NULL,
    disable_db_pings_in_health                 boolean          NOT NULL,
    log_retention_days                         bigint           NOT NULL,
    enforce_auth_on_inference                  boolean          NOT NULL,
    max_request_body_size_mb                   bigint           NOT NULL,
    compat                                     json,
    header_filter_config                       json,
    async_job_result_ttl                       bigint           NOT NULL,
    required_headers                           json,
    logging_headers                            json,
    whitelisted_routes                         json,
    hide_deleted_virtual_keys_in_filters       boolean          NOT NULL,
    allowed_headers                            json,
    allow_direct_keys                          boolean          NOT NULL,
    mcp_tool_execution_timeout                 bigint           NOT NULL,
    mcp_code_mode_binding_level                text COLLATE "C" NOT NULL,
    mcp_tool_sync_interval                     bigint           NOT NULL,
    mcp_disable_auto_tool_inject               boolean          NOT NULL,
    mcp_enable_temp_token_auth                 boolean          NOT NULL,
    routing_chain_max_depth                    bigint           NOT NULL,
    revision                                   bigint           NOT NULL,
    created_at                                 timestamptz      NOT NULL,
    updated_at                                 timestamptz      NOT NULL,
    config_hash                                text COLLATE "C",
    CONSTRAINT config_client_pkey PRIMARY KEY (id)
);

CREATE TABLE config_vector_store (
    id          text COLLATE "C" NOT NULL,
    enabled     boolean          NOT NULL,
    type        text COLLATE "C" NOT NULL,
    config      json,
    revision    bigint           NOT NULL,
    created_at  timestamptz      NOT NULL,
    updated_at  timestamptz      NOT NULL,
    config_hash text COLLATE "C",
    CONSTRAINT config_vector_store_pkey PRIMARY KEY (id)
);

CREATE TABLE config_log_store (
    id          text COLLATE "C" NOT NULL,
    enabled     boolean          NOT NULL,
    type        text COLLATE "C" NOT NULL,
    config      json,
    revision    bigint           NOT NULL,
    created_at  timestamptz      NOT NULL,
    updated_at  timestamptz      NOT NULL,
    config_hash text COLLATE "C",
    CONSTRAINT config_log_store_pkey PRIMARY KEY (id)
);

-- admin_password is a secret.
CREATE TABLE config_auth (
    id                        text COLLATE "C" NOT NULL,
    admin_username            text COLLATE "C" NOT NULL,
    admin_password            text COLLATE "C" NOT NULL,
    is_enabled                boolean          NOT NULL,
    disable_auth_on_inference boolean          NOT NULL,
    revision                  bigint           NOT NULL,
    created_at                timestamptz      NOT NULL,
    updated_at                timestamptz      NOT NULL,
    config_hash               text COLLATE "C",
    CONSTRAINT config_auth_pkey PRIMARY KEY (id)
);

-- The change log: one row per changed entity per committed write
-- transaction, keyed by revision/sequence.
CREATE TABLE configstore_changes (
    id         text COLLATE "C" NOT NULL,
    revision   bigint           NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    entity_id  text COLLATE "C" NOT NULL,
    op         text COLLATE "C" NOT NULL,
    source     text COLLATE "C" NOT NULL,
    changed_at timestamptz      NOT NULL,
    CONSTRAINT configstore_changes_pkey PRIMARY KEY (id)
);

-- The store revision: one row, id 'store', raised by every committed write
-- transaction.
CREATE TABLE configstore_state (
    id       text COLLATE "C" NOT NULL,
    revision bigint           NOT NULL,
    CONSTRAINT configstore_state_pkey PRIMARY KEY (id)
);

-- Foreign keys.
ALTER TABLE config_keys ADD CONSTRAINT config_keys_provider_fkey
    FOREIGN KEY (provider) REFERENCES config_providers (name) ON DELETE CASCADE;
ALTER TABLE config_customers ADD CONSTRAINT config_customers_budget_id_fkey
    FOREIGN KEY (budget_id) REFERENCES config_budgets (id) ON DELETE NO ACTION;
ALTER TABLE config_customers ADD CONSTRAINT config_customers_rate_limit_id_fkey
    FOREIGN KEY (rate_limit_id) REFERENCES config_rate_limits (id) ON DELETE NO ACTION;
ALTER TABLE config_teams ADD CONSTRAINT config_teams_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES config_customers (id) ON DELETE NO ACTION;
ALTER TABLE config_teams ADD CONSTRAINT config_teams_budget_id_fkey
    FOREIGN KEY (budget_id) REFERENCES config_budgets (id) ON DELETE NO ACTION;
ALTER TABLE config_teams ADD CONSTRAINT config_teams_rate_limit_id_fkey
    FOREIGN KEY (rate_limit_id) REFERENCES config_rate_limits (id) ON DELETE NO ACTION;
ALTER TABLE config_virtual_keys ADD CONSTRAINT config_virtual_keys_team_id_fkey
    FOREIGN KEY (team_id) REFERENCES config_teams (id) ON DELETE NO ACTION;
ALTER TABLE config_virtual_keys ADD CONSTRAINT config_virtual_keys_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES config_customers (id) ON DELETE NO ACTION;
ALTER TABLE config_virtual_keys ADD CONSTRAINT config_virtual_keys_rate_limit_id_fkey
    FOREIGN KEY (rate_limit_id) REFERENCES config_rate_limits (id) ON DELETE NO ACTION;
ALTER TABLE config_model_configs ADD CONSTRAINT config_model_configs_budget_id_fkey
    FOREIGN KEY (budget_id) REFERENCES config_budgets (id) ON DELETE NO ACTION;
ALTER TABLE config_model_configs ADD CONSTRAINT config_model_configs_rate_limit_id_fkey
    FOREIGN KEY (rate_limit_id) REFERENCES config_rate_limits (id) ON DELETE NO ACTION;
ALTER TABLE config_budgets ADD CONSTRAINT config_budgets_virtual_key_id_fkey
    FOREIGN KEY (virtual_key_id) REFERENCES config_virtual_keys (id) ON DELETE CASCADE;
ALTER TABLE config_budgets ADD CONSTRAINT config_budgets_team_id_fkey
    FOREIGN KEY (team_id) REFERENCES config_teams (id) ON DELETE CASCADE;
ALTER TABLE config_budgets ADD CONSTRAINT config_budgets_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES config_customers (id) ON DELETE CASCADE;
ALTER TABLE config_budgets ADD CONSTRAINT config_budgets_model_config_id_fkey
    FOREIGN KEY (model_config_id) REFERENCES config_model_configs (id) ON DELETE CASCADE;
ALTER TABLE config_virtual_key_provider_configs ADD CONSTRAINT config_virtual_key_provider_configs_virtual_key_id_fkey
    FOREIGN KEY (virtual_key_id) REFERENCES config_virtual_keys (id) ON DELETE CASCADE;
ALTER TABLE config_virtual_key_provider_configs ADD CONSTRAINT config_virtual_key_provider_configs_rate_limit_id_fkey
    FOREIGN KEY (rate_limit_id) REFERENCES config_rate_limits (id) ON DELETE NO ACTION;
ALTER TABLE config_virtual_key_provider_config_keys ADD CONSTRAINT config_virtual_key_provider_config_keys_provider_config_id_fkey
    FOREIGN KEY (provider_config_id) REFERENCES config_virtual_key_provider_configs (id) ON DELETE CASCADE;
ALTER TABLE config_virtual_key_provider_config_keys ADD CONSTRAINT config_virtual_key_provider_config_keys_key_id_fkey
    FOREIGN KEY (key_id) REFERENCES config_keys (id) ON DELETE NO ACTION;
ALTER TABLE config_virtual_key_mcp_configs ADD CONSTRAINT config_virtual_key_mcp_configs_virtual_key_id_fkey
    FOREIGN KEY (virtual_key_id) REFERENCES config_virtual_keys (id) ON DELETE CASCADE;
ALTER TABLE config_virtual_key_mcp_configs ADD CONSTRAINT config_virtual_key_mcp_configs_mcp_client_id_fkey
    FOREIGN KEY (mcp_client_id) REFERENCES config_mcp_clients (client_id) ON DELETE NO ACTION;

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
