-- Ward relay store, version 3: the mesh's CA, its enrollment tokens and role bindings, what it issued, and
-- the workloads each relay knows (so that relays sharing a PostgreSQL store tell their agents of each other's).

-- The generated CA (id 1; a relay started with --ca-cert/--ca-key leaves it alone). Relays sharing the store
-- insert theirs only when the row is absent and then use whatever row is there: one CA for all of them.
CREATE TABLE ward_mesh_ca (
    id             INTEGER PRIMARY KEY,
    cert_pem       TEXT    NOT NULL,
    key_pem        TEXT    NOT NULL,
    created_millis BIGINT  NOT NULL
);

-- `ward mesh enroll`: only the SHA-256 of the secret is kept. uses = how many distinct agents may enroll,
-- used = how many did (one row each in ward_mesh_token_agents).
CREATE TABLE ward_mesh_tokens (
    token_hash     VARCHAR(64)  PRIMARY KEY,
    spiffe_id      VARCHAR(600) NOT NULL,
    expires_millis BIGINT       NOT NULL,
    uses           INTEGER      NOT NULL,
    used           INTEGER      NOT NULL,
    created_millis BIGINT       NOT NULL
);

CREATE TABLE ward_mesh_token_agents (
    token_hash VARCHAR(64)  NOT NULL,
    agent_id   VARCHAR(253) NOT NULL,
    PRIMARY KEY (token_hash, agent_id)
);

-- `ward mesh bind`: which AWS role may hold which identity (role_arn as given; account and role name are
-- what an assumed-role ARN is compared by).
CREATE TABLE ward_mesh_bindings (
    spiffe_id VARCHAR(600)  NOT NULL,
    role_arn  VARCHAR(2048) NOT NULL,
    account   VARCHAR(12)   NOT NULL,
    role_name VARCHAR(64)   NOT NULL,
    PRIMARY KEY (spiffe_id, role_arn)
);
CREATE INDEX ward_mesh_bindings_role ON ward_mesh_bindings (account, role_name);

-- The last certificate issued to each agent: MeshStatus is accepted only for this identity while it is
-- valid. token_hash is '' for an AWS proof.
CREATE TABLE ward_mesh_certs (
    agent_id         VARCHAR(253) PRIMARY KEY,
    spiffe_id        VARCHAR(600) NOT NULL,
    serial           VARCHAR(64)  NOT NULL,
    not_after_millis BIGINT       NOT NULL,
    token_hash       VARCHAR(64)  NOT NULL,
    issued_millis    BIGINT       NOT NULL
);

-- Counters for `ward mesh list`.
CREATE TABLE ward_mesh_counters (
    id     INTEGER PRIMARY KEY,
    issued BIGINT  NOT NULL
);
INSERT INTO ward_mesh_counters (id, issued) VALUES (1, 0);

-- The workloads (accepted MeshStatus) of each relay's connected agents: workload is a serialized
-- ward.relay.v1.MeshWorkload. A relay keeps its own rows and reads the other live relays' (ward_relays).
CREATE TABLE ward_mesh_workloads (
    relay_id       VARCHAR(64)  NOT NULL,
    agent_id       VARCHAR(253) NOT NULL,
    workload       BYTEA        NOT NULL,
    updated_millis BIGINT       NOT NULL,
    PRIMARY KEY (relay_id, agent_id)
);
