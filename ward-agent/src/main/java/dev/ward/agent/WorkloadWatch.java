package dev.ward.agent;

import dev.ward.api.EcsTask;
import dev.ward.api.Identity;
import dev.ward.api.telemetry.Workload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The identity every event carries ({@link Workload}), kept current. On ECS it is read from the task metadata
 * endpoint v4 once at start, on its own thread, and read again every {@link #DEFAULT_REFRESH} (or
 * {@value #REFRESH_VARIABLE} seconds) on that thread: when the documents changed, a new Workload replaces the old
 * one with one volatile write. Off ECS (or in a pod) the identity is fixed at start. The tracer reads
 * {@link #current()} once per reported event: a volatile read, no lookup, no allocation.
 */
final class WorkloadWatch {
    static final String REFRESH_VARIABLE = "WARD_METADATA_REFRESH";
    static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
    /** How long the start waits for the first answer of the endpoint (it answers in milliseconds on Fargate). */
    static final Duration FIRST_READ = Duration.ofSeconds(2);

    private final Identity identity;
    private final CountDownLatch first = new CountDownLatch(1);
    private volatile Workload current;
    private EcsTask task;

    private WorkloadWatch(Identity identity) {
        this.identity = identity;
        this.current = identity.workload(null);
    }

    /** An identity that never changes (no metadata endpoint). */
    static WorkloadWatch fixed(Identity identity) {
        WorkloadWatch w = new WorkloadWatch(identity);
        w.first.countDown();
        return w;
    }

    /**
     * Starts reading the task metadata when {@code env} names the endpoint; a bad refresh setting is an
     * IllegalArgumentException naming the variable.
     */
    static WorkloadWatch start(Identity identity, Map<String, String> env, PrintStream err) {
        if (env.getOrDefault(EcsTask.ENDPOINT_VARIABLE, "").isBlank()) {
            return fixed(identity);
        }
        Duration refresh = refresh(env);
        WorkloadWatch w = new WorkloadWatch(identity);
        Thread.ofPlatform().name("ward-task-metadata").daemon(true).start(() -> w.run(env, refresh, err));
        return w;
    }

    Workload current() {
        return current;
    }

    /** Waits (at most {@link #FIRST_READ}) for the first read of the metadata, so that the first event has it. */
    void awaitFirst() {
        try {
            first.await(FIRST_READ.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One read: a changed task becomes the current identity; a failed read keeps the last one. */
    private boolean read(Map<String, String> env) {
        EcsTask next = EcsTask.fetch(env);
        if (next == null || next.equals(task)) {
            return next != null;
        }
        task = next;
        current = identity.workload(next);
        return true;
    }

    private void run(Map<String, String> env, Duration refresh, PrintStream err) {
        if (!read(env)) {
            err.println("ward: the task metadata endpoint (" + EcsTask.ENDPOINT_VARIABLE + "="
                    + env.get(EcsTask.ENDPOINT_VARIABLE) + ") did not answer: events carry no task identity until it "
                    + "does (next try in " + refresh.toSeconds() + "s)");
        }
        first.countDown();
        while (true) {
            try {
                Thread.sleep(refresh);
            } catch (InterruptedException e) {
                return;
            }
            read(env);
        }
    }

    private static Duration refresh(Map<String, String> env) {
        String v = env.getOrDefault(REFRESH_VARIABLE, "").strip();
        if (v.isEmpty()) {
            return DEFAULT_REFRESH;
        }
        try {
            long seconds = Long.parseLong(v);
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(REFRESH_VARIABLE + "=" + v + ": expected a number of seconds (at least 1)");
    }
}
