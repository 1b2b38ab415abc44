-- Ward relay store, version 4: Istio AuthorizationPolicies are stored beside KubeArmorPolicies. A policy is now
-- named by its kind, namespace and name (Kubernetes keeps the two kinds apart, so both may use one name); every
-- policy stored so far is a KubeArmorPolicy. Both kinds share ward_policy_version, so relays sharing a PostgreSQL
-- store notice a change of either kind the same way.
-- SQLite cannot change a primary key in place: the table is copied (the same statements run on PostgreSQL).
CREATE TABLE ward_policies_v4 (
    kind           VARCHAR(64)  NOT NULL,
    namespace      VARCHAR(253) NOT NULL,
    name           VARCHAR(253) NOT NULL,
    yaml           TEXT         NOT NULL,
    version        BIGINT       NOT NULL,
    updated_millis BIGINT       NOT NULL,
    PRIMARY KEY (kind, namespace, name)
);
INSERT INTO ward_policies_v4 (kind, namespace, name, yaml, version, updated_millis)
    SELECT 'KubeArmorPolicy', namespace, name, yaml, version, updated_millis FROM ward_policies;
DROP TABLE ward_policies;
ALTER TABLE ward_policies_v4 RENAME TO ward_policies;
