package dev.ward.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.ContainerStatus.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An ECS task running on this machine in a podman pod. Start one, wait for what a test needs, exec into
 * containers, stop it:
 *
 * <pre>{@code
 * TaskDefinition def = TaskDefinitionReader.read(Path.of("task.json"));
 * try (LocalTask task = LocalTask.start(def, LocalOptions.builder().randomHostPorts(true).build())) {
 *     task.awaitHealthy("web", Duration.ofSeconds(30));
 *     int port = task.hostPort(80);                      // published on 127.0.0.1
 *     Podman.Result r = task.exec("web", "cat", "/etc/hostname");
 * }                                                      // close(): stop as ECS does, remove the pod
 * }</pre>
 *
 * <p>Lifecycle: {@link #start} creates the pod, the task's volumes and secrets and every container, then a
 * supervisor thread starts containers as their {@code dependsOn} conditions are met, runs health checks,
 * and stops the task when an essential container stops or {@link #requestStop} is called. Stopping sends
 * each container its stop signal in reverse dependency order, SIGKILL after its stopTimeout, then removes
 * the pod, volumes and secrets. Exit code of the task: see {@link #exitCode()}.
 *
 * <p>Thread-safe. State is guarded by one lock; podman runs outside it.
 */
public final class LocalTask implements AutoCloseable {
    private static final long FIRST_HEALTH_CHECK_MILLIS = 1000;

    private final PodmanPlan plan;
    private final Podman podman;
    private final LogSink sink;
    private final Map<String, ContainerRun> runs = new LinkedHashMap<>();
    private final Object lock = new Object();
    private final MetadataServer metadata;
    private final List<LogPump> pumps = Collections.synchronizedList(new ArrayList<>());
    private final List<String> secrets = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final List<Thread> waiters = Collections.synchronizedList(new ArrayList<>());
    private final Instant created = Instant.now();
    private Thread supervisor;

    // guarded by lock
    private String stopReason;
    private String stoppedBy;
    private String failure;
    private boolean force;
    private boolean finished;
    private Integer exitCode;

    private LocalTask(TaskDefinition def, LocalOptions options, Podman podman, String taskId) {
        this.plan = new PodmanPlan(def, taskId, options);
        this.podman = podman;
        this.sink = options.logs;
        for (ContainerDefinition c : def.containers()) {
            String token = taskId.substring(0, 12) + "-" + randomHex(8);
            runs.put(c.name(), new ContainerRun(c, plan.containerName(c.name()), token));
        }
        this.metadata = new MetadataServer(new MetadataServer.Source() {
            @Override
            public ObjectNode container(String token) {
                synchronized (lock) {
                    for (ContainerRun r : runs.values()) {
                        if (r.token.equals(token)) {
                            return MetadataJson.container(plan, r, stopReason != null);
                        }
                    }
                    return null;
                }
            }

            @Override
            public ObjectNode task() {
                synchronized (lock) {
                    return MetadataJson.task(plan, runs.values(), stopReason != null, created);
                }
            }
        });
    }

    /**
     * Creates the task's pod and containers and starts the supervisor; returns while containers start.
     *
     * @throws LocalException.BadInput for missing secrets, environment files or host paths (nothing created)
     * @throws LocalException when podman fails (whatever was created is removed)
     */
    public static LocalTask start(TaskDefinition def, LocalOptions options) {
        Map<String, Map<String, String>> secretValues = new LinkedHashMap<>();
        Map<String, List<Path>> envFiles = new LinkedHashMap<>();
        preflight(def, options, secretValues, envFiles);
        Podman podman = LocalPodman.locate(options.containersConf);
        LocalTask t = new LocalTask(def, options, podman, randomHex(32));
        try {
            t.create(secretValues, envFiles);
        } catch (RuntimeException e) {
            t.cleanup();
            t.metadata.close();
            throw e;
        }
        t.supervisor = Thread.ofPlatform().daemon(true).name("ward-local-" + t.plan.podName).start(t::supervise);
        return t;
    }

    private static void preflight(TaskDefinition def, LocalOptions options, Map<String, Map<String, String>> secretValues,
            Map<String, List<Path>> envFiles) {
        List<String> problems = new ArrayList<>();
        for (ContainerDefinition c : def.containers()) {
            try {
                secretValues.put(c.name(), options.secrets.resolve(c));
            } catch (LocalException.BadInput e) {
                problems.add(e.getMessage());
            }
            List<Path> files = new ArrayList<>();
            int i = 0;
            for (String value : c.environmentFiles()) {
                Path p = options.environmentFiles.get(value);
                if (p == null && !value.startsWith("arn:")) {
                    p = Path.of(value);
                }
                if (p == null || !Files.isReadable(p)) {
                    problems.add("container \"" + c.name() + "\": environmentFiles[" + i + "]: " + value
                            + (p == null ? " is not a local file: download it and pass --environment-file " + value + "=PATH"
                            : ": cannot read " + p));
                } else {
                    files.add(p.toAbsolutePath());
                }
                i++;
            }
            envFiles.put(c.name(), files);
        }
        for (TaskDefinition.Volume v : def.volumes()) {
            if (v.hostSourcePath() != null && !Files.exists(Path.of(v.hostSourcePath()))) {
                problems.add("volumes (" + v.name() + ").host.sourcePath: " + v.hostSourcePath()
                        + " does not exist on this machine");
            }
        }
        if (!problems.isEmpty()) {
            throw new LocalException.BadInput(String.join("\n", problems));
        }
    }

    private void create(Map<String, Map<String, String>> secretValues, Map<String, List<Path>> envFiles) {
        Podman.Result pod = podman.run(plan.podCreate(ProcessHandle.current().pid()));
        if (!pod.ok()) {
            String err = pod.err().strip();
            String hint = err.contains("catatonit") ? "\nThe pod's infra container needs catatonit: apt-get install catatonit"
                    : err.contains("address already in use") ? "\nA host port is taken: use --random-ports or -p CONTAINERPORT:HOSTPORT"
                    : "";
            throw new LocalException("creating pod " + plan.podName + " failed: " + err + hint);
        }
        for (TaskDefinition.Volume v : plan.def.volumes()) {
            if (v.hostSourcePath() == null) {
                String name = plan.volumeName(v.name());
                podman.check("volume \"" + v.name() + "\"", "volume", "create", "--label", Labels.TASK + "=" + plan.taskId, name);
                volumes.add(name);
            }
        }
        for (var e : secretValues.entrySet()) {
            for (var s : e.getValue().entrySet()) {
                String name = plan.secretName(e.getKey(), s.getKey());
                Podman.Result r = podman.run(List.of("secret", "create", name, "-"), s.getValue().getBytes(StandardCharsets.UTF_8));
                if (!r.ok()) {
                    throw new LocalException("container \"" + e.getKey() + "\": secret " + s.getKey() + ": podman secret create failed: "
                            + r.err().strip());
                }
                secrets.add(name);
            }
        }
        for (ContainerDefinition c : TaskGraph.createOrder(plan.def)) {
            ContainerRun run = runs.get(c.name());
            Podman.Result created = podman.run(plan.containerCreate(c, metadata.containerUri(run.token), envFiles.get(c.name())));
            if (!created.ok()) {
                String err = created.err().strip();
                boolean image = err.contains("short-name") || err.contains("pull") || err.contains("image not known")
                        || err.contains("manifest unknown");
                boolean http = err.contains("HTTP response to HTTPS client");
                throw new LocalException("container \"" + c.name() + "\": podman create failed: " + err
                        + (http ? "\nThe registry of " + c.image() + " speaks plain HTTP: pass --insecure-registry HOST[:PORT]"
                        : image ? "\nThe image " + c.image() + " is not available: build it or pull it (podman pull "
                        + c.image() + "), or use a fully qualified name" : ""));
            }
            String id = created.out().strip();
            String[] lines = id.split("\n");
            synchronized (lock) {
                run.id = lines[lines.length - 1].strip();
                run.createdAt = Instant.now();
                run.imageId = podman.run(List.of("container", "inspect", "--format", "{{.Image}}", run.podmanName)).out().strip();
            }
        }
        sink.event("task " + plan.podName + " (" + plan.def.family() + ":" + plan.def.revision() + ") created, "
                + runs.size() + " container(s); metadata endpoint on 127.0.0.1:" + metadata.port());
    }

    // ---------------------------------------------------------------- supervisor

    private void supervise() {
        try {
            startContainers();
        } catch (RuntimeException e) {
            synchronized (lock) {
                failure = e.getMessage();
                if (stopReason == null) {
                    stopReason = e.getMessage();
                }
            }
        }
        try {
            stopAll();
        } finally {
            cleanup();
            metadata.close();
            synchronized (lock) {
                exitCode = computeExitCode();
                finished = true;
                lock.notifyAll();
            }
            sink.event("task " + plan.podName + " stopped (" + stopReason + "), exit code " + exitCode);
        }
    }

    private void startContainers() {
        while (true) {
            List<ContainerRun> ready = new ArrayList<>();
            synchronized (lock) {
                if (stopReason != null) {
                    return;
                }
                Instant now = Instant.now();
                for (ContainerRun run : runs.values()) {
                    if (run.state != State.PENDING) {
                        continue;
                    }
                    if (run.waitingSince == null) {
                        run.waitingSince = now;
                    }
                    DependencyCheck.Verdict v = DependencyCheck.check(run, runs, now);
                    if (v.kind() == DependencyCheck.Verdict.Kind.READY) {
                        ready.add(run);
                    } else if (v.kind() == DependencyCheck.Verdict.Kind.IMPOSSIBLE) {
                        failure = v.text();
                        stopReason = failure;
                        sink.event(failure);
                        return;
                    }
                }
                for (ContainerRun run : runs.values()) {
                    if (run.def.essential() && run.state == State.STOPPED) {
                        stoppedBy = run.def.name();
                        stopReason = "essential container " + run.def.name() + " exited with code " + run.exitCode;
                        return;
                    }
                }
                if (ready.isEmpty()) {
                    try {
                        lock.wait(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stopReason = "interrupted";
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
        synchronized (lock) {
            run.state = State.RUNNING;
            run.startedAt = Instant.now();
            lock.notifyAll();
        }
        sink.event(run.def.name() + " started");
        pumps.add(new LogPump(podman, run.def.name(), run.podmanName, sink));
        waiters.add(Thread.ofPlatform().daemon(true).name("wait-" + run.def.name()).start(() -> awaitContainer(run)));
        if (run.def.healthCheck() != null) {
            Thread.ofPlatform().daemon(true).name("health-" + run.def.name()).start(() -> healthChecks(run));
        }
    }

    private void awaitContainer(ContainerRun run) {
        Podman.Result r = podman.run(List.of("wait", run.podmanName));
        Integer code = parseInt(r.out());
        if (code == null) {
            code = parseInt(podman.run(List.of("container", "inspect", "--format", "{{.State.ExitCode}}", run.podmanName)).out());
        }
        synchronized (lock) {
            run.state = State.STOPPED;
            run.exitCode = code;
            run.finishedAt = Instant.now();
            lock.notifyAll();
        }
        sink.event(run.def.name() + " exited with code " + code);
    }

    private void healthChecks(ContainerRun run) {
        ContainerDefinition.HealthCheck h = run.def.healthCheck();
        long next = System.currentTimeMillis() + FIRST_HEALTH_CHECK_MILLIS;
        while (true) {
            synchronized (lock) {
                long wait;
                while (run.state == State.RUNNING && stopReason == null && (wait = next - System.currentTimeMillis()) > 0) {
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (run.state != State.RUNNING || stopReason != null) {
                    return;
                }
            }
            next = System.currentTimeMillis() + h.interval() * 1000L;
            podman.run(List.of("healthcheck", "run", run.podmanName));
            String status = podman.run(List.of("container", "inspect", "--format", "{{.State.Health.Status}}", run.podmanName))
                    .out().strip();
            if (status.isEmpty()) {
                continue;
            }
            boolean changed;
            synchronized (lock) {
                changed = !status.equals(run.health);
                if (changed) {
                    run.health = status;
                    run.healthSince = Instant.now();
                    lock.notifyAll();
                }
            }
            if (changed) {
                sink.event(run.def.name() + " is " + status);
            }
        }
    }

    private void stopAll() {
        List<StopProcedure.Target> targets = new ArrayList<>();
        synchronized (lock) {
            if (stopReason == null) {
                stopReason = "all containers stopped";
            }
            for (ContainerRun run : runs.values()) {
                if (run.state == State.PENDING) {
                    run.state = State.NEVER_STARTED;
                } else if (run.state == State.RUNNING) {
                    targets.add(new StopProcedure.Target(run.podmanName, plan.stopLevels.getOrDefault(run.def.name(), 0),
                            force ? 0 : plan.stopTimeout(run.def)));
                }
            }
            lock.notifyAll();
        }
        sink.event("stopping task " + plan.podName + ": " + stopReason);
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
    private void cleanup() {
        List<String> names = runs.values().stream().map(r -> r.podmanName).toList();
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

    /**
     * The task's exit code: the exit code of the essential container whose exit stopped the task; when the
     * task was stopped otherwise (a signal, {@link #requestStop}), the exit code of the first essential
     * container in the task definition that ran; 1 when no essential container ran or a dependency failed.
     */
    private int computeExitCode() {
        Integer code = null;
        if (stoppedBy != null) {
            code = runs.get(stoppedBy).exitCode;
        }
        if (code == null) {
            for (ContainerRun r : runs.values()) {
                if (r.def.essential() && r.exitCode != null) {
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

    // ---------------------------------------------------------------- API

    public String taskId() {
        return plan.taskId;
    }

    public String podName() {
        return plan.podName;
    }

    public String taskArn() {
        return plan.taskArn();
    }

    public Podman podman() {
        return podman;
    }

    /** The podman name of a container of the task definition. */
    public String podmanName(String container) {
        return run(container).podmanName;
    }

    /** The URL of {@code container}'s metadata endpoint as the host sees it (containers use 10.0.2.2). */
    public String hostMetadataUri(String container) {
        return "http://127.0.0.1:" + metadata.port() + "/v4/" + run(container).token;
    }

    public ContainerStatus status(String container) {
        synchronized (lock) {
            return run(container).snapshot();
        }
    }

    public List<ContainerStatus> statuses() {
        synchronized (lock) {
            return runs.values().stream().map(ContainerRun::snapshot).toList();
        }
    }

    /** Waits until {@code container} runs; throws if it stopped or will never start, or on timeout. */
    public void awaitRunning(String container, Duration timeout) {
        ContainerRun r = run(container);
        await(timeout, container + " running", () -> r.state == State.RUNNING,
                () -> r.state == State.STOPPED || r.state == State.NEVER_STARTED || finished);
    }

    /** Waits until {@code container}'s health check passes. */
    public void awaitHealthy(String container, Duration timeout) {
        ContainerRun r = run(container);
        if (r.def.healthCheck() == null) {
            throw new IllegalArgumentException(container + " has no healthCheck");
        }
        await(timeout, container + " healthy", () -> r.state == State.RUNNING && "healthy".equals(r.health),
                () -> r.state == State.STOPPED || r.state == State.NEVER_STARTED || finished);
    }

    /** Waits until {@code container} exits and returns its exit code (null if podman could not tell). */
    public Integer awaitExit(String container, Duration timeout) {
        ContainerRun r = run(container);
        await(timeout, container + " exited", () -> r.state == State.STOPPED, () -> r.state == State.NEVER_STARTED);
        synchronized (lock) {
            return r.exitCode;
        }
    }

    /** Waits until the task stopped and everything was removed; returns {@link #exitCode()}. */
    public int awaitStopped(Duration timeout) {
        await(timeout, "task stopped", () -> finished, () -> false);
        return exitCode();
    }

    /** Waits as long as it takes for the task to stop. */
    public int awaitStopped() {
        synchronized (lock) {
            while (!finished) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalException("interrupted while waiting for the task to stop");
                }
            }
            return exitCode;
        }
    }

    /** True once the task stopped and was removed. */
    public boolean finished() {
        synchronized (lock) {
            return finished;
        }
    }

    /** The task's exit code once {@link #finished()}; see the rule on {@code computeExitCode}. */
    public int exitCode() {
        synchronized (lock) {
            if (!finished) {
                throw new IllegalStateException("the task is still running");
            }
            return exitCode;
        }
    }

    /** Why the task stopped or is stopping (null while it runs). */
    public String stopReason() {
        synchronized (lock) {
            return stopReason;
        }
    }

    /** What made the task fail (a dependency that can never be met, a container that could not start), or null. */
    public String failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /**
     * Asks the task to stop; returns at once. {@code force}: SIGKILL without waiting for stop timeouts
     * (also when the stop is already under way, containers not yet stopped are killed).
     */
    public void requestStop(String reason, boolean force) {
        boolean killNow;
        synchronized (lock) {
            killNow = force && stopReason != null && !finished;
            this.force |= force;
            if (stopReason == null) {
                stopReason = reason;
            }
            lock.notifyAll();
        }
        if (killNow) {
            for (ContainerRun r : runs.values()) {
                podman.run(List.of("kill", r.podmanName));
            }
        }
    }

    /** Runs {@code command} in {@code container} ({@code podman exec}) and waits. */
    public Podman.Result exec(String container, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", run(container).podmanName));
        args.addAll(List.of(command));
        return podman.run(args);
    }

    /** The 127.0.0.1 port the task's {@code containerPort}/tcp is published on. */
    public int hostPort(int containerPort) {
        String infra = podman.check("pod " + plan.podName, "pod", "inspect", "--format", "{{.InfraContainerID}}", plan.podName).strip();
        String out = podman.check("port " + containerPort, "port", infra, containerPort + "/tcp").strip();
        Integer port = parseInt(out.substring(out.lastIndexOf(':') + 1));
        if (port == null) {
            throw new LocalException("port " + containerPort + " is not published by " + plan.podName + ": " + out);
        }
        return port;
    }

    /** Stops the task (graceful, as ECS does) and waits until it is removed. */
    public void stop() {
        requestStop("stopped by the caller", false);
        if (supervisor != null) {
            awaitStopped();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private ContainerRun run(String container) {
        ContainerRun r = runs.get(container);
        if (r == null) {
            throw new IllegalArgumentException("no container \"" + container + "\" in task " + plan.def.family()
                    + " (" + String.join(", ", runs.keySet()) + ")");
        }
        return r;
    }

    private void await(Duration timeout, String what, java.util.function.BooleanSupplier done,
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

    private String describe() {
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

    private static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String randomHex(int chars) {
        byte[] b = new byte[chars / 2];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
