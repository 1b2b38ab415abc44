package dev.ward.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ward.bindings.Affinity;
import dev.ward.bindings.Posix;
import dev.ward.testing.FreshThread;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The follower's decisions, with stops fed by hand for real threads of this JVM: a spinning thread whose CPU the
 * test chooses stands for the busy tracee, and the test's own thread (a fresh one) for the tracer.
 */
class CpuFollowerTest {
    @Test
    void followsADominantThreadAndLetsGoWhenNoneDominates() throws Exception {
        assumeTrue(new Affinity().cpus() > 1, "needs two CPUs");
        try (Spinner busy = new Spinner()) {
            FreshThread.run(() -> {
                String all = FreshThread.allowedList();
                CpuFollower f = new CpuFollower(true, Long.MAX_VALUE);
                Task hot = new Task(busy.tid, busy.tid);
                Task other = new Task(busy.tid + 1, busy.tid);
                int cpu = busy.moveTo(1);
                window(f, hot, other, CpuFollower.DOMINANT);
                assertThat(f.pinned()).isEqualTo(cpu);
                assertThat(FreshThread.allowedList()).isEqualTo(String.valueOf(cpu));
                window(f, hot, other, CpuFollower.WINDOW / 2);
                assertThat(f.pinned()).as("two threads share the stops").isEqualTo(-1);
                assertThat(FreshThread.allowedList()).isEqualTo(all);
                assertThat(f.summary()).contains("1 moves", "1 without a dominant thread");
            });
        }
    }

    @Test
    void aThreadThatKeepsChangingCpuIsLeftAlone() throws Exception {
        assumeTrue(new Affinity().cpus() > 1, "needs two CPUs");
        try (Spinner busy = new Spinner()) {
            FreshThread.run(() -> {
                String all = FreshThread.allowedList();
                CpuFollower f = new CpuFollower(true, Long.MAX_VALUE);
                Task hot = new Task(busy.tid, busy.tid);
                for (int move = 0; move <= CpuFollower.MAX_MOVES; move++) { // the first pin is not a move
                    int cpu = busy.moveTo(move % 2);
                    window(f, hot, hot, CpuFollower.WINDOW);
                    if (move < CpuFollower.MAX_MOVES) {
                        assertThat(f.pinned()).isEqualTo(cpu);
                    }
                }
                assertThat(f.pinned()).as("ping-pong: back to every CPU").isEqualTo(-1);
                assertThat(FreshThread.allowedList()).isEqualTo(all);
                int cpu = busy.moveTo(1);
                for (int w = 0; w < CpuFollower.BACKOFF; w++) {
                    window(f, hot, hot, CpuFollower.WINDOW);
                    assertThat(f.pinned()).as("backing off, window " + w).isEqualTo(-1);
                }
                window(f, hot, hot, CpuFollower.WINDOW);
                assertThat(f.pinned()).as("follows again after the back-off").isEqualTo(cpu);
                assertThat(f.summary()).contains("1 ping-pongs");
            });
        }
    }

    @Test
    void slowStopsAreNotFollowed() throws Exception {
        assumeTrue(new Affinity().cpus() > 1, "needs two CPUs");
        try (Spinner busy = new Spinner()) {
            FreshThread.run(() -> {
                CpuFollower f = new CpuFollower(true, 0);
                Task hot = new Task(busy.tid, busy.tid);
                busy.moveTo(1);
                window(f, hot, hot, CpuFollower.WINDOW);
                assertThat(f.pinned()).isEqualTo(-1);
                assertThat(f.summary()).contains("0 moves", "1 slow");
            });
        }
    }

    @Test
    void offDoesNothing() {
        CpuFollower off = new CpuFollower(false, Long.MAX_VALUE);
        Task t = new Task(Posix.gettid(), Posix.getpid());
        for (int i = 0; i < 2 * CpuFollower.WINDOW; i++) {
            off.stopped(t);
        }
        assertThat(off.pinned()).isEqualTo(-1);
        assertThat(off.summary()).isEqualTo("off");
    }

    /** One window of stops: {@code hotStops} by {@code hot}, the rest by {@code other}. */
    private static void window(CpuFollower f, Task hot, Task other, int hotStops) {
        for (int i = 0; i < CpuFollower.WINDOW; i++) {
            f.stopped(i < hotStops ? hot : other);
        }
    }

    /** A thread that spins on the CPU it is told to (it pins itself), until closed. */
    private static final class Spinner implements AutoCloseable {
        final int tid;
        private volatile int target = -1;
        private volatile int on = -1;
        private volatile boolean stop;
        private final Thread thread;

        Spinner() throws Exception {
            CompletableFuture<Integer> started = new CompletableFuture<>();
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                Affinity self = new Affinity();
                started.complete(Posix.gettid());
                while (!stop) {
                    int want = target;
                    if (want != on && self.pin(want) == 0) {
                        on = want;
                    }
                    Thread.onSpinWait();
                }
            });
            tid = started.get();
        }

        /** Pins the spinner to {@code cpu} and waits until it runs there; returns the CPU /proc shows for it. */
        int moveTo(int cpu) {
            target = cpu;
            Affinity probe = new Affinity();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((on != cpu || probe.processor(tid) != cpu) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            probe.forget();
            return probe.processor(tid);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }
}
