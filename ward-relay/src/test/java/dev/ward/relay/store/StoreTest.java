package dev.ward.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ward.relay.api.Event;
import dev.ward.relay.api.feeder.Alert;
import dev.ward.relay.api.feeder.Log;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same behaviour from SQLite and from a real PostgreSQL. */
@Tag("process")
class StoreTest {
    private static PostgresServer pg;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    /** A fresh, empty store location of each kind. */
    static Stream<String> stores() {
        return Stream.of("sqlite", "postgresql");
    }

    private static Store open(String kind) throws Exception {
        return Store.open(location(kind), kind.equals("sqlite") ? null : PostgresServer.user(), null);
    }

    private static String location(String kind) throws Exception {
        int n = DATABASES.incrementAndGet();
        return kind.equals("sqlite") ? tmp.resolve("relay-" + n + ".db").toString() : pg.newDatabase("ward" + n);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void migratesOnceAndReopensWithTheSameData(String kind) throws Exception {
        String where = location(kind);
        String user = kind.equals("sqlite") ? null : PostgresServer.user();
        try (Store s = Store.open(where, user, null)) {
            assertThat(s.kind()).isEqualTo(kind);
            assertThat(s.policyVersion()).isZero();
            s.putPolicy("", "p1", "yaml-1");
        }
        try (Store s = Store.open(where, user, null)) {
            assertThat(s.policyVersion()).isEqualTo(1);
            assertThat(s.policies()).extracting(StoredPolicy::name).containsExactly("p1");
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void policyChangesRaiseTheVersionAndReportWhatWasThere(String kind) throws Exception {
        try (Store s = open(kind)) {
            Store.Change add = s.putPolicy("", "p1", "a");
            assertThat(add.before()).isEmpty();
            assertThat(add.version()).isEqualTo(1);

            Store.Change same = s.putPolicy("", "p1", "a");
            assertThat(same.before()).isPresent();
            assertThat(same.version()).as("identical document: no new version").isEqualTo(1);

            Store.Change modify = s.putPolicy("", "p1", "b");
            assertThat(modify.before().orElseThrow().yaml()).isEqualTo("a");
            assertThat(modify.version()).isEqualTo(2);
            s.putPolicy("ns", "p1", "c");
            assertThat(s.policy("", "p1").orElseThrow().yaml()).isEqualTo("b");
            assertThat(s.policy("ns", "p1").orElseThrow().version()).isEqualTo(3);

            Store.Change delete = s.deletePolicy("", "p1");
            assertThat(delete.before()).isPresent();
            assertThat(delete.version()).isEqualTo(4);
            assertThat(s.deletePolicy("", "p1").before()).isEmpty();
            assertThat(s.policyVersion()).isEqualTo(4);
            assertThat(s.policies()).extracting(StoredPolicy::key).containsExactly("ns/p1");
        }
    }

    /** Several documents of one request are stored in one transaction: a failure on the last leaves none. */
    @ParameterizedTest
    @MethodSource("stores")
    void severalPoliciesAreStoredAllOrNone(String kind) throws Exception {
        try (Store s = open(kind)) {
            s.putPolicy("", "kept", "k");
            List<Store.Change> both = s.putPolicies(List.of(new Store.Put("", "p1", "a"), new Store.Put("", "p2", "b")));
            assertThat(both).extracting(Store.Change::version).containsExactly(2L, 3L);

            // The second row breaks a NOT NULL constraint: the store refuses it after it wrote the first.
            assertThatThrownBy(() -> s.putPolicies(List.of(new Store.Put("", "p3", "c"), new Store.Put("", "p4", null))))
                    .isInstanceOf(StoreException.class);
            assertThat(s.policies()).extracting(StoredPolicy::name).containsExactly("kept", "p1", "p2");
            assertThat(s.policyVersion()).isEqualTo(3);
        }
    }

    static Event alert(String container, String op, long ts) {
        return Event.newBuilder().setTimestampNanos(ts).setAlert(Alert.newBuilder().setContainerName(container)
                .setOperation(op).setResource("/r" + ts)).build();
    }

    static Event log(String container, String op, long ts) {
        return Event.newBuilder().setTimestampNanos(ts).setLog(Log.newBuilder().setContainerName(container)
                .setOperation(op)).build();
    }

    private static List<Long> times(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::tsNanos).toList();
    }

    static Event of(String namespace, String pod, String taskArn, String image, long ts) {
        Event e = alert("web", "File", ts);
        return e.toBuilder().setAlert(e.getAlert().toBuilder().setNamespaceName(namespace).setPodName(pod)
                .setLabels("ecs.cluster=prod,ecs.task-arn=" + taskArn + ",kubearmor.io/container.name=web")
                .setContainerImage(image)).build();
    }

    private static List<Long> where(Store s, String namespace, String pod, String task, String image)
            throws StoreException {
        return times(s.events(new EventQuery(0, null, "", "", 100, namespace, pod, task, image)));
    }

    /** A chunk of one workload is found by its columns; a chunk mixing workloads ('' columns) event by event. */
    @ParameterizedTest
    @MethodSource("stores")
    void eventsAreFoundByNamespacePodTaskAndImage(String kind) throws Exception {
        String a = "arn:aws:ecs:eu-west-1:1:task/prod/aaa111";
        String b = "arn:aws:ecs:eu-west-1:1:task/prod/bbb222";
        try (Store s = open(kind)) {
            s.appendEvents(List.of(
                    new Store.Batch("a1", List.of(of("payments", "shop-1", a, "x/shop:1@sha256:aa", 100),
                            of("payments", "shop-1", a, "x/shop:1@sha256:aa", 110))),
                    new Store.Batch("a2", List.of(of("default", "web_2", b, "nginx:1.27@sha256:bb", 200))),
                    new Store.Batch("a3", List.of(of("payments", "shop-9", a, "x/shop:2", 300),
                            of("default", "web_2", b, "nginx:1.27", 310)))));
            assertThat(where(s, "payments", "", "", "")).containsExactly(100L, 110L, 300L);
            assertThat(where(s, "default", "web_2", "", "")).containsExactly(200L, 310L);
            assertThat(where(s, "", "web%2", "", "")).isEmpty();
            assertThat(where(s, "", "", "aaa111", "")).containsExactly(100L, 110L, 300L);
            assertThat(where(s, "", "", b, "")).containsExactly(200L, 310L);
            assertThat(where(s, "", "", "arn:aws:ecs:eu-west-1:1:task/other/bbb222", "")).isEmpty();
            assertThat(where(s, "", "", "", "x/shop")).containsExactly(100L, 110L, 300L);
            assertThat(where(s, "", "", "", "x/shop:1")).containsExactly(100L, 110L);
            assertThat(where(s, "", "", "", "nginx:1.27@sha256:bb")).containsExactly(200L);
            assertThat(where(s, "", "", "", "ngin")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void eventsComeBackInTimeOrderFilteredAndLimited(String kind) throws Exception {
        try (Store s = open(kind)) {
            s.appendEvents(List.of(
                    new Store.Batch("a1", List.of(log("web", "Process", 100), alert("web", "File", 300))),
                    new Store.Batch("a2", List.of(alert("db", "File", 200)))));
            assertThat(times(s.events(new EventQuery(0, null, "", "", 10)))).containsExactly(100L, 200L, 300L);
            assertThat(times(s.events(new EventQuery(150, null, "", "", 10)))).containsExactly(200L, 300L);
            assertThat(times(s.events(new EventQuery(0, true, "", "", 10)))).containsExactly(200L, 300L);
            assertThat(s.events(new EventQuery(0, false, "", "", 10))).extracting(StoredEvent::operation)
                    .containsExactly("Process");
            StoredEvent db = s.events(new EventQuery(0, null, "db", "", 10)).getFirst();
            assertThat(db.event().getAlert().getResource()).isEqualTo("/r200");
            assertThat(db.agentId()).isEqualTo("a2");
            assertThat(s.events(new EventQuery(0, null, "", "file", 1))).extracting(StoredEvent::agentId)
                    .containsExactly("a2");
            assertThat(s.pruneEvents(250)).as("a2's chunk ended before 250").isEqualTo(1);
            assertThat(times(s.events(new EventQuery(0, null, "", "", 10)))).containsExactly(100L, 300L);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void manyOverlappingChunksMergeIntoOneTimeOrder(String kind) throws Exception {
        long second = 1_000_000_000L;
        try (Store s = open(kind)) {
            // 300 agents' batches interleaved in time (more chunks than one read round), one batch spanning
            // more than a chunk may, one batch out of order, and one mixing containers.
            List<Store.Batch> batches = new java.util.ArrayList<>();
            for (int a = 0; a < 300; a++) {
                batches.add(new Store.Batch("a" + a, List.of(alert("c" + a, "File", 1000 + a),
                        alert("c" + a, "File", 5000 + a))));
            }
            batches.add(new Store.Batch("long", List.of(alert("x", "File", 10), alert("x", "File", 30 * second))));
            batches.add(new Store.Batch("back", List.of(alert("y", "File", 9000), alert("y", "File", 20))));
            batches.add(new Store.Batch("mixed", List.of(alert("m1", "File", 7000), alert("m2", "File", 7001))));
            s.appendEvents(batches);
            List<Long> all = times(s.events(new EventQuery(0, null, "", "", 10_000)));
            assertThat(all).hasSize(606).isSorted();
            assertThat(all.getFirst()).isEqualTo(10L);
            assertThat(all.getLast()).isEqualTo(30 * second);
            assertThat(times(s.events(new EventQuery(5000, null, "", "", 3)))).containsExactly(5000L, 5001L, 5002L);
            assertThat(times(s.events(new EventQuery(29 * second, null, "", "", 10)))).containsExactly(30 * second);
            assertThat(times(s.events(new EventQuery(0, null, "m2", "", 10)))).containsExactly(7001L);
            assertThat(times(s.events(new EventQuery(0, null, "c7", "", 10)))).containsExactly(1007L, 5007L);
        }
    }

    @Test
    void twoRelaysOnOnePostgresSeeEachOthersChanges() throws Exception {
        String url = pg.newDatabase("shared");
        try (Store a = Store.open(url, PostgresServer.user(), null);
                Store b = Store.open(url, PostgresServer.user(), null)) {
            a.putPolicy("", "from-a", "x");
            assertThat(b.policyVersion()).isEqualTo(1);
            b.putPolicy("", "from-b", "y");
            assertThat(a.policies()).extracting(StoredPolicy::name).containsExactly("from-a", "from-b");
            assertThat(a.policyVersion()).isEqualTo(2);
        }
    }

    /**
     * Policy changes (read, then write) while events are written on the other connection: on SQLite a
     * transaction begun DEFERRED failed with SQLITE_BUSY at once when the writer committed between its read
     * and its write; both must wait for each other instead.
     */
    @ParameterizedTest
    @MethodSource("stores")
    void policyChangesWhileEventsAreWrittenNeverFailBusy(String kind) throws Exception {
        try (Store s = open(kind)) {
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                long t = 1;
                try {
                    while (!done.get()) {
                        s.appendEvents(List.of(new Store.Batch("a", List.of(Event.newBuilder().setTimestampNanos(t++)
                                .setAlert(Alert.newBuilder().setContainerName("c")).build()))));
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            });
            try {
                for (int i = 0; i < 2000; i++) {
                    s.putPolicy("", "p" + (i % 5), "yaml " + i);
                }
            } finally {
                done.set(true);
                writer.join();
            }
            assertThat(failed.get()).isNull();
            assertThat(s.policyVersion()).isEqualTo(2000);
        }
    }

    @Test
    void aStoreThatCannotBeOpenedSaysWhich() {
        assertThatThrownBy(() -> Store.open("jdbc:mysql://localhost/x", null, null))
                .isInstanceOf(StoreException.class).hasMessageContaining("unsupported store")
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> Store.open(pg.url("missing_db"), PostgresServer.user(), null))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot open the store")
                .hasMessageContaining("missing_db");
    }

    @Test
    void oneStorePerSqliteFileAndTheRefusalNamesTheFileAndTheHolder() throws Exception {
        Path db = tmp.resolve("one-relay.db");
        try (Store first = Store.open(db.toString(), null, null)) {
            assertThatThrownBy(() -> Store.open("jdbc:sqlite:" + db, null, null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("the store " + db + " is in use by another relay")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + " on ")
                    .hasMessageContaining("PostgreSQL");
            first.putPolicy("", "kept", "x");
        }
        try (Store again = Store.open(db.toString(), null, null)) { // closing released it
            assertThat(again.policy("", "kept")).isPresent();
        }
    }
}
