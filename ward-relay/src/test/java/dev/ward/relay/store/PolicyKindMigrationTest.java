package dev.ward.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V4 on a store written by a relay before it (schema V3): its policies become KubeArmorPolicies with their
 * versions and times, and an AuthorizationPolicy may then take the same name.
 */
@Tag("process")
class PolicyKindMigrationTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void policiesStoredBeforeKindsExistedAreKubeArmorPolicies(String kind) throws Exception {
        PostgresServer pg = kind.equals("sqlite") ? null : PostgresServer.start();
        try {
            String url = pg == null ? "jdbc:sqlite:" + tmp.resolve("v3.db") : pg.newDatabase("v3");
            String user = pg == null ? null : PostgresServer.user();
            Flyway.configure(Store.class.getClassLoader()).dataSource(url, user, null)
                    .locations("classpath:db/ward-relay").target("3").load().migrate();
            try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO ward_policies (namespace, name, yaml, version, updated_millis) "
                        + "VALUES ('demo', 'shared', 'kind: KubeArmorPolicy', 7, 1234)");
                s.executeUpdate("UPDATE ward_policy_version SET version = 7 WHERE id = 1");
            }
            try (Store store = Store.open(url, user, null)) {
                assertThat(store.policies()).containsExactly(new StoredPolicy(StoredPolicy.KUBEARMOR, "demo",
                        "shared", "kind: KubeArmorPolicy", 7, 1234));
                assertThat(store.policyVersion()).isEqualTo(7);
                Store.Change added = store.putPolicies(List.of(new Store.Put(StoredPolicy.AUTHORIZATION, "demo",
                        "shared", "kind: AuthorizationPolicy"))).getFirst();
                assertThat(added.before()).isEmpty();
                assertThat(added.version()).isEqualTo(8);
                assertThat(store.policies()).extracting(StoredPolicy::id)
                        .containsExactly("demo/shared", "AuthorizationPolicy:demo/shared");
                assertThat(store.deletePolicy(StoredPolicy.AUTHORIZATION, "demo", "shared").before()).isPresent();
                assertThat(store.policy("demo", "shared")).isPresent();
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }
}
