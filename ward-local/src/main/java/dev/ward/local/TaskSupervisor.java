package dev.ward.local;

import dev.ward.local.ContainerStatus.State;
import dev.ward.taskdef.Container;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The task's supervisor thread and the threads it starts: starts containers as their dependsOn conditions are
 * met, waits for each to exit, runs health checks, stops the task in reverse dependency order when an essential
 * container stops or a stop is requested, then removes what the task created. Shares {@link TaskState} with the
 * {@link LocalTask} API under its lock; podman runs outside the lock.
 */
final class TaskSupervisor {
    private static final long FIRST_HEALTH_CHECK_MILLIS = 1000;

    private final TaskState state;
    private final PodmanPlan plan;
    private final Podman podman;
    private final LogSink sink;
    private final MetadataServer metadata;
    private final List<LogPump> pumps = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> waiters = Collections.synchronizedList(new ArrayList<>());
    /** Names of the volumes and secrets the task created, for cleanup. */
    final List<String> secrets = new ArrayList<>();
    final List<String> volumes = new ArrayList<>();

    TaskSupervisor(TaskState state, PodmanPlan plan, Podman podman, LogSink sink, MetadataServer metadata) {
        this.state = state;
        this.plan = plan;
        this.podman = podman;
        this.sink = sink;
        this.metadata = metadata;
    }

    void supervise() {
        try {
            startContainers();
        } catch (RuntimeException e) {
            synchronized (state.lock) {
                state.failure = e.getMessage();
                if (state.stopReason == null) {
                    state.stopReason = e.getMessage();
                }
            }
        }
        try {
            stopAll();
        } finally {
            cleanup();
            metadata.close();
            synchronized (state.lock) {
                state.exitCode = state.computeExitCode();
                state.finished = true;
                state.lock.notifyAll();
            }
            sink.event("task " + plan.podName + " stopped (" + state.stopReason + "), exit code " + state.exitCode);
        }
    }

    private void startContainers() {
        while (true) {
            List<ContainerRun> ready = new ArrayList<>();
            synchronized (state.lock) {
                if (state.stopReason != null) {
                    return;
                }
                Instant now = Instant.now();
                for (ContainerRun run : state.runs.values()) {
                    if (run.state != State.PENDING) {
                        continue;
                    }
                    if (run.waitingSince == null) {
                        run.waitingSince = now;
                    }
                    DependencyCheck.Verdict v = DependencyCheck.check(run, state.runs, now);
                    if (v.kind() == DependencyCheck.Verdict.Kind.READY) {
                        ready.add(run);
                    } else if (v.kind() == DependencyCheck.Verdict.Kind.IMPOSSIBLE) {
                        state.failure = v.text();
                        state.stopReason = state.failure;
                        sink.event(state.failure);
                        return;
                    }
                }
                for (ContainerRun run : state.runs.values()) {
                    if (run.def.isEssential() && run.state == State.STOPPED) {
                        state.stoppedBy = run.def.name();
                        state.stopReason = "essential container " + run.def.name() + " exited with code " + run.exitCode;
                        return;
                    }
                }
                if (ready.isEmpty()) {
                    try {
                        state.lock.wait(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        state.stopReason = "interrupted";
                        return;
                    }
                    continue;
                }
            }
            for (ContainerRun run : ready) {
                startContainer(run);
            }
        }
    }

    private void startContainer(ContainerRun run) {
        podman.check("starting container \"" + run.def.name() + "\"", "start", run.podmanName);
        synchronized (state.lock) {
            run.state = State.RUNNING;
            run.startedAt = Instant.now();
            state.lock.notifyAll();
        }
        sink.event(run.def.name() + " started");
        pumps.add(new LogPump(podman, run.def.name(), run.podmanName, sink));
        waiters.add(Thread.ofPlatform().daemon(true).name("wait-" + run.def.name()).start(() -> awaitContainer(run)));
        if (run.def.healthCheck().isPresent()) {
            Thread.ofPlatform().daemon(true).name("health-" + run.def.name()).start(() -> healthChecks(run));
        }
    }

    private void awaitContainer(ContainerRun run) {
        Podman.Result r = podman.run(List.of("wait", run.podmanName));
        Integer code = parseInt(r.out());
        if (code == null) {
            code = parseInt(podman.run(List.of("container", "inspect", "--format", "{{.State.ExitCode}}", run.podmanName)).out());
        }
        synchronized (state.lock) {
            run.state = State.STOPPED;
            run.exitCode = code;
            run.finishedAt = Instant.now();
            state.lock.notifyAll();
        }
        sink.event(run.def.name() + " exited with code " + code);
    }

    private void healthChecks(ContainerRun run) {
        Container.HealthCheck h = run.def.healthCheck().orElseThrow();
        long next = System.currentTimeMillis() + FIRST_HEALTH_CHECK_MILLIS;
        while (true) {
            synchronized (state.lock) {
                long wait;
                while (run.state == State.RUNNING && state.stopReason == null && (wait = next - System.currentTimeMillis()) > 0) {
                    try {
                        state.lock.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (run.state != State.RUNNING || state.stopReason != null) {
                    return;
                }
            }
            next = System.currentTimeMillis() + h.intervalSeconds() * 1000L;
            podman.run(List.of("healthcheck", "run", run.podmanName));
            String status = podman.run(List.of("container", "inspect", "--format", "{{.State.Health.Status}}", run.podmanName))
                    .out().strip();
            if (status.isEmpty()) {
                continue;
            }
            boolean changed;
            synchronized (state.lock) {
                changed = !status.equals(run.health);
                if (changed) {
                    run.health = status;
                    run.healthSince = Instant.now();
                    state.lock.notifyAll();
                }
            }
            if (changed) {
                sink.event(run.def.name() + " is " + status);
            }
        }
    }

    private void stopAll() {
        List<StopProcedure.Target> targets = new ArrayList<>();
        synchronized (state.lock) {
            if (state.stopReason == null) {
                state.stopReason = "all containers stopped";
            }
            for (ContainerRun run : state.runs.values()) {
                if (run.state == State.PENDING) {
                    run.state = State.NEVER_STARTED;
                } else if (run.state == State.RUNNING) {
                    targets.add(new StopProcedure.Target(run.podmanName, plan.stopLevels.getOrDefault(run.def.name(), 0),
                            state.force ? 0 : plan.stopTimeout(run.def)));
                }
            }
            state.lock.notifyAll();
        }
        sink.event("stopping task " + plan.podName + ": " + state.stopReason);
        StopProcedure.run(podman, targets, sink::event);
        long deadline = System.currentTimeMillis() + 10_000;
        for (Thread w : List.copyOf(waiters)) {
            try {
                w.join(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (LogPump p : List.copyOf(pumps)) {
            p.finish(2000);
        }
    }

    /** Removes what the task created; idempotent, never throws (reports what it could not remove). */
    void cleanup() {
        List<String> names = state.runs.values().stream().map(r -> r.podmanName).toList();
        List<String> rm = new ArrayList<>(List.of("rm", "--force", "--volumes", "--ignore"));
        rm.addAll(names);
        report(podman.run(rm), "removing containers");
        report(podman.run(List.of("pod", "rm", "--force", "--ignore", plan.podName)), "removing pod " + plan.podName);
        if (!volumes.isEmpty()) {
            List<String> v = new ArrayList<>(List.of("volume", "rm", "--force"));
            v.addAll(volumes);
            report(podman.run(v), "removing volumes");
        }
        if (!secrets.isEmpty()) {
            List<String> s = new ArrayList<>(List.of("secret", "rm"));
            s.addAll(secrets);
            report(podman.run(s), "removing secrets");
        }
    }

    private void report(Podman.Result r, String what) {
        if (!r.ok()) {
            sink.event(what + " failed: " + r.err().strip());
        }
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
