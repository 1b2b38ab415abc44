package dev.ward.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.local.ContainerStatus.State;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * TaskDef def = TaskDefinitionReader.read(Path.of("task.json"));
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
    private final PodmanPlan plan;
    private final Podman podman;
    private final LogSink sink;
    private final TaskState state = new TaskState();
    /** state's, under shorter names: the API reads them on every call. */
    private final Map<String, ContainerRun> runs = state.runs;
    private final Object lock = state.lock;
    private final MetadataServer metadata;
    private final TaskSupervisor tasks;
    private final Instant created = Instant.now();
    private Thread supervisor;

    private LocalTask(TaskDef def, LocalOptions options, Podman podman, String taskId, LocalNetwork network) {
        this.plan = new PodmanPlan(def, taskId, options, network);
        this.podman = podman;
        this.sink = options.logs;
        for (Container c : def.containers()) {
            String token = taskId.substring(0, 12) + "-" + randomHex(8);
            runs.put(c.name(), new ContainerRun(c, plan.containerName(c.name()), token));
        }
        this.metadata = new MetadataServer(new MetadataServer.Source() {
            @Override
            public ObjectNode container(String token) {
                synchronized (lock) {
                    for (ContainerRun r : runs.values()) {
                        if (r.token.equals(token)) {
                            return MetadataJson.container(plan, r, state.stopReason != null);
                        }
                    }
                    return null;
                }
            }

            @Override
            public ObjectNode task() {
                synchronized (lock) {
                    return MetadataJson.task(plan, runs.values(), state.stopReason != null, created);
                }
            }
        }, network);
        this.tasks = new TaskSupervisor(state, plan, podman, sink, metadata);
    }

    /**
     * Creates the task's pod and containers and starts the supervisor; returns while containers start.
     *
     * @throws LocalException.BadInput for missing secrets, environment files or host paths (nothing created)
     * @throws LocalException when podman fails (whatever was created is removed)
     */
    public static LocalTask start(TaskDef def, LocalOptions options) {
        Map<String, Map<String, String>> secretValues = new LinkedHashMap<>();
        Map<String, List<Path>> envFiles = new LinkedHashMap<>();
        Preflight.check(def, options, secretValues, envFiles);
        Podman podman = LocalPodman.locate(options.containersConf);
        LocalNetwork network = options.network == null ? null : LocalNetwork.ensure(podman, options.network);
        LocalTask t = new LocalTask(def, options, podman, randomHex(32), network);
        try {
            t.create(secretValues, envFiles);
        } catch (RuntimeException e) {
            t.tasks.cleanup();
            t.metadata.close();
            throw e;
        }
        t.supervisor = Thread.ofPlatform().daemon(true).name("ward-local-" + t.plan.podName).start(t.tasks::supervise);
        PodNetwork.watch(podman, t.plan, t::finished); // the metadata endpoint answers at once, never asks podman
        return t;
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
        for (Volume v : plan.def.volumes()) {
            if (v.hostSourcePath().isEmpty()) {
                String name = plan.volumeName(v.name());
                podman.check("volume \"" + v.name() + "\"", "volume", "create", "--label", Labels.TASK + "=" + plan.taskId, name);
                tasks.volumes.add(name);
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
                tasks.secrets.add(name);
            }
        }
        for (Container c : TaskGraph.createOrder(plan.def)) {
            ContainerRun run = runs.get(c.name());
            Podman.Result created = podman.run(plan.containerCreate(c, metadata.containerUri(run.token), envFiles.get(c.name())));
            if (!created.ok()) {
                String err = created.err().strip();
                boolean image = err.contains("short-name") || err.contains("pull") || err.contains("image not known")
                        || err.contains("manifest unknown");
                boolean http = err.contains("HTTP response to HTTPS client");
                throw new LocalException("container \"" + c.name() + "\": podman create failed: " + err
                        + (http ? "\nThe registry of " + Values.image(c) + " speaks plain HTTP: pass --insecure-registry HOST[:PORT]"
                        : image ? "\nThe image " + Values.image(c) + " is not available: build it or pull it (podman pull "
                        + Values.image(c) + "), or use a fully qualified name" : ""));
            }
            String id = created.out().strip();
            String[] lines = id.split("\n");
            synchronized (lock) {
                run.id = lines[lines.length - 1].strip();
                run.createdAt = Instant.now();
                run.imageId = podman.run(List.of("container", "inspect", "--format", "{{.Image}}", run.podmanName)).out().strip();
            }
        }
        sink.event("task " + plan.podName + " (" + plan.def.label() + ":" + plan.def.revisionNumber() + ") created, "
                + runs.size() + " container(s); metadata endpoint on 127.0.0.1:" + metadata.port());
    }

    /** The pod's address on its {@code --network} bridge; null without one or before the pod runs. */
    public String address() {
        PodNetwork.resolve(podman, plan);
        return plan.address;
    }

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
        state.await(timeout, container + " running", () -> r.state == State.RUNNING,
                () -> r.state == State.STOPPED || r.state == State.NEVER_STARTED || state.finished);
    }

    /** Waits until {@code container}'s health check passes. */
    public void awaitHealthy(String container, Duration timeout) {
        ContainerRun r = run(container);
        if (r.def.healthCheck().isEmpty()) {
            throw new IllegalArgumentException(container + " has no healthCheck");
        }
        state.await(timeout, container + " healthy", () -> r.state == State.RUNNING && "healthy".equals(r.health),
                () -> r.state == State.STOPPED || r.state == State.NEVER_STARTED || state.finished);
    }

    /** Waits until {@code container} exits and returns its exit code (null if podman could not tell). */
    public Integer awaitExit(String container, Duration timeout) {
        ContainerRun r = run(container);
        state.await(timeout, container + " exited", () -> r.state == State.STOPPED, () -> r.state == State.NEVER_STARTED);
        synchronized (lock) {
            return r.exitCode;
        }
    }

    /** Waits until the task stopped and everything was removed; returns {@link #exitCode()}. */
    public int awaitStopped(Duration timeout) {
        state.await(timeout, "task stopped", () -> state.finished, () -> false);
        return exitCode();
    }

    /** Waits as long as it takes for the task to stop. */
    public int awaitStopped() {
        synchronized (lock) {
            while (!state.finished) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LocalException("interrupted while waiting for the task to stop");
                }
            }
            return state.exitCode;
        }
    }

    /** True once the task stopped and was removed. */
    public boolean finished() {
        synchronized (lock) {
            return state.finished;
        }
    }

    /** The task's exit code once {@link #finished()}; see the rule on {@code computeExitCode}. */
    public int exitCode() {
        synchronized (lock) {
            if (!state.finished) {
                throw new IllegalStateException("the task is still running");
            }
            return state.exitCode;
        }
    }

    /** Why the task stopped or is stopping (null while it runs). */
    public String stopReason() {
        synchronized (lock) {
            return state.stopReason;
        }
    }

    /** What made the task fail (a dependency that can never be met, a container that could not start), or null. */
    public String failure() {
        synchronized (lock) {
            return state.failure;
        }
    }

    /**
     * Asks the task to stop; returns at once. {@code force}: SIGKILL without waiting for stop timeouts
     * (also when the stop is already under way, containers not yet stopped are killed).
     */
    public void requestStop(String reason, boolean force) {
        boolean killNow;
        synchronized (lock) {
            killNow = force && state.stopReason != null && !state.finished;
            state.force |= force;
            if (state.stopReason == null) {
                state.stopReason = reason;
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
        return PodNetwork.hostPort(podman, plan, containerPort);
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
            throw new IllegalArgumentException("no container \"" + container + "\" in task " + plan.def.label()
                    + " (" + String.join(", ", runs.keySet()) + ")");
        }
        return r;
    }

    private static String randomHex(int chars) {
        byte[] b = new byte[chars / 2];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
