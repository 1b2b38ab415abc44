package dev.ward.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a task's supervisor and its {@link LocalTask} API share: the containers' runs and why and how the task
 * stopped. Every field (and every {@link ContainerRun}'s) is guarded by {@link #lock}; changes notify it.
 */
final class TaskState {
    final Object lock = new Object();
    final Map<String, ContainerRun> runs = new LinkedHashMap<>();

    // guarded by lock
    String stopReason;
    String stoppedBy;
    String failure;
    boolean force;
    boolean finished;
    Integer exitCode;

    /**
     * The task's exit code: the exit code of the essential container whose exit stopped the task; when the
     * task was stopped otherwise (a signal, {@link LocalTask#requestStop}), the exit code of the first essential
     * container in the task definition that ran; 1 when no essential container ran or a dependency failed.
     */
    int computeExitCode() {
        Integer code = null;
        if (stoppedBy != null) {
            code = runs.get(stoppedBy).exitCode;
        }
        if (code == null) {
            for (ContainerRun r : runs.values()) {
                if (r.def.isEssential() && r.exitCode != null) {
                    code = r.exitCode;
                    break;
                }
            }
        }
        if (code == null || (failure != null && code == 0)) {
            return 1;
        }
        return code;
    }

    void await(Duration timeout, String what, java.util.function.BooleanSupplier done,
            java.util.function.BooleanSupplier hopeless) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!done.getAsBoolean()) {
                if (hopeless.getAsBoolean()) {
                    throw new LocalException("gave up waiting for " + what + ": " + describe());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LocalException("timed out after " + timeout.toSeconds() + " s waiting for " + what + ": "
                            + describe());
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalException("interrupted while waiting for " + what);
                }
            }
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (ContainerRun r : runs.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(r.def.name()).append(' ').append(r.state);
            if (r.exitCode != null) {
                b.append(" (exit ").append(r.exitCode).append(')');
            }
            if (r.health != null) {
                b.append(" [").append(r.health).append(']');
            }
        }
        return b + (stopReason == null ? "" : "; task stopping: " + stopReason);
    }
}
