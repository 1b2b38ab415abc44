package dev.ward.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The agent swaps policy sets while tracer threads decide. Each decision must come wholly from the old set or
 * wholly from the new one, and several threads may share one set, each with its own requests.
 */
class ConcurrencyTest {
    private static final String BLOCK_A = Policies.policy("block-a", """
            file:
              matchPaths: [{path: /a}, {path: /b, action: Audit}]
            """);
    private static final String BLOCK_B = Policies.policy("block-b", """
            file:
              matchPaths: [{path: /b}, {path: /a, action: Audit}]
            """);

    @Test
    void swapsAreAtomicAndSetsAreShareable() throws Exception {
        PolicySet a = Policies.compile(BLOCK_A, "c");
        PolicySet b = Policies.compile(BLOCK_B, "c");
        AtomicReference<PolicySet> current = new AtomicReference<>(a);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                FileRequest qa = Policies.file("/x", "/a");
                FileRequest qb = Policies.file("/x", "/b");
                try {
                    while (!stop.get()) {
                        PolicySet s = current.get();
                        Match ma = s.file(qa);
                        Match mb = s.file(qb);
                        // Within one set, exactly one of the two paths is blocked, by that set's policy.
                        assertThat(ma.policyName()).isEqualTo(mb.policyName());
                        assertThat(ma.action() == Action.BLOCK).isNotEqualTo(mb.action() == Action.BLOCK);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (int i = 0; i < 20_000; i++) {
            current.set(i % 2 == 0 ? b : a);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }
}
