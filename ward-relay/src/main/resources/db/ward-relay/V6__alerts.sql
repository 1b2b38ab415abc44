-- Ward relay store, version 6: every alert also gets a row of its own (its chunk in ward_events stays as it was),
-- for the web console: pages of alerts newest first with filters, and alerts per minute by severity, counted by
-- the database. Alerts are few beside logs, so a row each costs little. alert_id and ts together name an alert
-- (alert_id is a hash of the agent, the time and the alert: the live stream names it the same way); payload is
-- a serialized ward.relay.v1.Event. Text columns hold values cut to their size ('' when too long), as in V5.
-- Alerts stored before this version are not in this table.
CREATE TABLE ward_alerts (
    ts             BIGINT        NOT NULL,
    alert_id       BIGINT        NOT NULL,
    agent_id       VARCHAR(64)   NOT NULL,
    container_name VARCHAR(253)  NOT NULL,
    policy_name    VARCHAR(253)  NOT NULL,
    severity       INTEGER       NOT NULL,
    operation      VARCHAR(64)   NOT NULL,
    action         VARCHAR(64)   NOT NULL,
    resource       VARCHAR(4096) NOT NULL,
    source         VARCHAR(4096) NOT NULL,
    payload        BYTEA         NOT NULL
);
CREATE INDEX ward_alerts_time ON ward_alerts (ts, alert_id);
CREATE INDEX ward_alerts_container ON ward_alerts (container_name, ts);
