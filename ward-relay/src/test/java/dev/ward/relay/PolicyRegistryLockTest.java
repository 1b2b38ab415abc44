package dev.ward.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ward.policy.PolicyLoader;
import dev.ward.relay.api.PolicyResult;
import dev.ward.relay.api.policy.PolicyStatus;
import dev.ward.relay.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request whose YAML takes forever to parse must not hold up anyone else's policy change: parsing runs
 * outside the registry's lock. The parser here stands in for a pathological document: it blocks until the
 * test lets it go.
 */
class PolicyRegistryLockTest {
    @TempDir
    Path dir;

    @Test
    void otherChangesProceedWhileOneRequestIsStillBeingParsed() throws Exception {
        CountDownLatch parsing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Own threads: the common pool may have a single thread on a small machine.
        try (Store store = Store.open(dir.resolve("r.db").toString(), null, null);
                var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            RelayMetrics metrics = new RelayMetrics();
            PolicyRegistry registry = new PolicyRegistry(store, new AgentSessions(metrics), metrics,
                    new PrintStream(PrintStream.nullOutputStream()), (yaml, origin) -> {
                        if (origin.equals("slow.yaml")) {
                            parsing.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        return PolicyLoader.parseAll(yaml, origin);
                    });
            registry.refresh();
            CompletableFuture<List<PolicyResult>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return registry.apply(TestRelay.policy("slow", "web", "/a"), "slow.yaml");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            assertThat(parsing.await(30, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
                try {
                    assertThat(registry.apply(TestRelay.policy("fast", "web", "/b"), "fast.yaml").getFirst()
                            .getStatus()).isEqualTo(PolicyStatus.Applied);
                    assertThat(registry.delete("", "fast").getStatus()).isEqualTo(PolicyStatus.Deleted);
                    registry.refresh();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            others.get(10, TimeUnit.SECONDS); // before: waited for the slow parse, forever with a looping one
            assertThat(slow).isNotDone();

            release.countDown();
            assertThat(slow.get(30, TimeUnit.SECONDS).getFirst().getStatus()).isEqualTo(PolicyStatus.Applied);
            assertThat(registry.entries()).extracting(e -> e.stored().name()).containsExactly("slow");
            assertThat(registry.version()).isEqualTo(3);
        }
    }
}
