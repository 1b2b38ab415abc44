-- Ward relay store, version 1. The same script runs on SQLite and PostgreSQL: only types and
-- statements both understand (BYTEA has no meaning to SQLite, which stores the bytes as a BLOB).

-- One row per policy (namespace "" when the policy has none); yaml is the document as applied.
CREATE TABLE ward_policies (
    namespace      VARCHAR(253) NOT NULL,
    name           VARCHAR(253) NOT NULL,
    yaml           TEXT         NOT NULL,
    version        BIGINT       NOT NULL,
    updated_millis BIGINT       NOT NULL,
    PRIMARY KEY (namespace, name)
);

-- The store-wide policy version: raised by every change, so relays sharing the store notice changes
-- with one cheap read.
CREATE TABLE ward_policy_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO ward_policy_version (id, version) VALUES (1, 0);

-- Alerts and logs as received, in chunks: one row holds consecutive events of one agent spanning at most
-- 10 seconds (ts_first .. ts_last); payload is a serialized ward.relay.v1.EventBatch. A row per event
-- would make storage the relay's bottleneck. container_name is '' when a chunk mixes containers.
CREATE TABLE ward_events (
    ts_first       BIGINT       NOT NULL,
    ts_last        BIGINT       NOT NULL,
    agent_id       VARCHAR(64)  NOT NULL,
    container_name VARCHAR(253) NOT NULL,
    events         INTEGER      NOT NULL,
    payload        BYTEA        NOT NULL
);
CREATE INDEX ward_events_first ON ward_events (ts_first);
