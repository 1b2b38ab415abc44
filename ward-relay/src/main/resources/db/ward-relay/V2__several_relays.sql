-- Ward relay store, version 2: several relays on one PostgreSQL act as one (both databases get the same
-- schema; SQLite, one relay per file, leaves the new columns at 0 and the new tables empty).

-- Which transaction stored a chunk, and its place in it: a relay announces each commit (PostgreSQL NOTIFY
-- with the commit id) and the other relays read that commit's chunks in order, to fan them out live.
ALTER TABLE ward_events ADD COLUMN commit_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ward_events ADD COLUMN chunk_no INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ward_events_commit ON ward_events (commit_id);

-- The relays sharing the store, each alive while its heartbeat is recent.
CREATE TABLE ward_relays (
    relay_id         VARCHAR(64)  PRIMARY KEY,
    name             VARCHAR(253) NOT NULL,
    heartbeat_millis BIGINT       NOT NULL
);

-- The agents connected to each relay: info is a serialized ward.relay.v1.AgentInfo.
CREATE TABLE ward_agents (
    relay_id       VARCHAR(64) NOT NULL,
    connection     BIGINT      NOT NULL,
    info           BYTEA       NOT NULL,
    updated_millis BIGINT      NOT NULL,
    PRIMARY KEY (relay_id, connection)
);
