package dev.ward.local;

import dev.ward.podman.ContainersConf;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.TaskDef;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward local run TASKDEF.json}. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the task definition in a podman pod: containers share one network namespace (like awsvpc), "
                    + "start in dependsOn order, get health checks, secrets from --secrets, and a task metadata "
                    + "endpoint (ECS_CONTAINER_METADATA_URI_V4). Logs stream here as 'name | line'.",
            "^C (SIGINT or SIGTERM) stops the task as ECS does: SIGTERM to each container in reverse dependency "
                    + "order, SIGKILL after its stopTimeout; a second ^C kills at once. The pod is then removed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "N:the exit code of the essential container whose exit stopped the task; when the task was stopped "
                    + "(^C, ward local stop), that of the first essential container in the task definition",
            "1:the task could not start (podman error, a dependency that can never be met), or no essential "
                    + "container ran",
            "2:bad input (task definition, secrets file, options)"
        })
public final class LocalRunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TASKDEF", arity = "1..*", description = "Task definition JSON: register-task-definition "
            + "input or describe-task-definition output. Several (with --detach) run as several tasks on one --network.")
    List<Path> taskDefinitions;

    @Option(names = "--network", paramLabel = "NAME", description = "Join this podman bridge network (created when "
            + "missing; default with several TASKDEFs: ward-local): tasks on it reach each other by address, as in one "
            + "VPC (and Ward's mesh runs between them); the host is the network's gateway from inside.")
    String network;

    @Option(names = "--secrets", paramLabel = "FILE", description = "Values for the task's secrets: NAME=VALUE lines or "
            + "a JSON object, keyed by secret name or valueFrom. Values are passed as podman secrets, never printed.")
    Path secrets;

    @Option(names = "--environment-file", paramLabel = "VALUE=PATH", description = "A local file for an "
            + "environmentFiles value (e.g. an S3 ARN). Repeatable.")
    Map<String, Path> environmentFiles = new LinkedHashMap<>();

    @Option(names = {"-p", "--publish"}, paramLabel = "CONTAINERPORT:HOSTPORT",
            description = "Publish a container port on this 127.0.0.1 port instead of its hostPort. Repeatable.")
    List<String> publish = new ArrayList<>();

    @Option(names = "--random-ports", description = "Publish every portMapping on a free 127.0.0.1 port "
            + "(see them with ward local ps).")
    boolean randomPorts;

    @Option(names = "--max-stop-timeout", paramLabel = "SECONDS",
            description = "Cap the containers' stopTimeout (ECS default 30 s).")
    Integer maxStopTimeout;

    @Option(names = "--pull", paramLabel = "POLICY", defaultValue = "missing",
            description = "Image pull policy: missing, always, never or newer. Default: ${DEFAULT-VALUE}.")
    String pull;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]", description = "Pull from this registry over "
            + "plain HTTP or unverified TLS (repeatable; registries on localhost, 127.0.0.1 and [::1] always are).")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS_REGION in the containers and in ARNs "
            + "(default: $AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--containers-conf", paramLabel = "FILE", description = "containers.conf for podman (default: "
            + "$CONTAINERS_CONF, else Ward's own: runtime runc, lower default ulimits).")
    Path containersConf;

    @Option(names = {"-d", "--detach"}, description = "Run in the background: a Ward supervisor keeps running the "
            + "task (health checks, metadata endpoint); logs with podman logs, stop with ward local stop.")
    boolean detach;

    @Option(names = "--no-color", description = "No colours in the log prefixes.")
    boolean noColor;

    @Option(names = "--supervised-ready", hidden = true, paramLabel = "FILE")
    Path readyFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            if (taskDefinitions.size() > 1) {
                if (!detach) {
                    throw new LocalException.BadInput(taskDefinitions.size() + " task definitions: run them with "
                            + "--detach (one Ward supervisor each; ward local ps lists them, podman logs follows them)");
                }
                network = network != null ? network : "ward-local";
                List<TaskDef> defs = new ArrayList<>();
                for (Path p : taskDefinitions) {
                    defs.add(TaskDefinitionReader.read(p)); // every one is read before any starts
                }
                for (int i = 0; i < defs.size(); i++) {
                    int code = detach(defs.get(i), taskDefinitions.get(i));
                    if (code != 0) {
                        return code;
                    }
                }
                return 0;
            }
            TaskDef def = TaskDefinitionReader.read(taskDefinitions.getFirst());
            if (detach) {
                return detach(def, taskDefinitions.getFirst());
            }
            return runForeground(def);
        } catch (LocalException.BadInput e) {
            if (readyFile != null) {
                ready("error: " + e.getMessage());
            }
            spec.commandLine().getErr().println("ward local run: " + e.getMessage());
            return 2;
        } catch (LocalException e) {
            if (readyFile != null) {
                ready("error: " + e.getMessage());
            }
            spec.commandLine().getErr().println("ward local run: " + e.getMessage());
            return 1;
        }
    }

    LocalOptions options(TaskDef def) {
        LocalOptions.Builder b = LocalOptions.builder()
                .secrets(secrets == null ? SecretValues.none() : SecretValues.read(secrets))
                .randomHostPorts(randomPorts).pull(pull).containersConf(containersConf).network(network);
        insecureRegistries.forEach(b::insecureRegistry);
        environmentFiles.forEach(b::environmentFile);
        for (String p : publish) {
            String[] parts = p.split(":");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                b.hostPort(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new LocalException.BadInput("--publish " + p + ": expected CONTAINERPORT:HOSTPORT, e.g. 8080:18080");
            }
        }
        if (maxStopTimeout != null) {
            if (maxStopTimeout < 0) {
                throw new LocalException.BadInput("--max-stop-timeout " + maxStopTimeout + ": expected 0 or more seconds");
            }
            b.maxStopTimeout(Duration.ofSeconds(maxStopTimeout));
        }
        String r = region != null ? region : System.getenv("AWS_REGION");
        if (r != null && !r.isBlank()) {
            b.region(r);
        }
        boolean colour = !noColor && System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
        int width = def.containers().stream().mapToInt(c -> c.name().length()).max().orElse(4);
        b.logs(LogSink.prefixed(System.out, System.err, colour, Math.max(width, 4)));
        return b.build();
    }

    private int runForeground(TaskDef def) {
        LocalOptions options = options(def);
        // Handlers first: a ^C while the pod is being created stops the task as soon as it exists.
        AtomicInteger signals = new AtomicInteger();
        AtomicReference<LocalTask> current = new AtomicReference<>();
        AtomicReference<String> early = new AtomicReference<>();
        for (String name : List.of("INT", "TERM")) {
            Signals.handle(name, () -> {
                boolean second = signals.incrementAndGet() > 1;
                LocalTask t = current.get();
                if (t != null) {
                    t.requestStop("received SIG" + name, second);
                } else {
                    early.compareAndSet(null, "received SIG" + name + " while the task was created");
                }
            });
        }
        LocalTask task = LocalTask.start(def, options);
        current.set(task);
        if (early.get() != null) {
            task.requestStop(early.get(), signals.get() > 1);
        }
        if (readyFile != null) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (Container c : def.containers()) {
                        while (!task.finished() && task.status(c.name()).state() == ContainerStatus.State.PENDING) {
                            Thread.sleep(100);
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                ready(task.failure() != null ? "error: " + task.failure() : "ok " + task.podName() + " " + task.taskId());
            });
        }
        int code = task.awaitStopped();
        for (ContainerStatus s : task.statuses()) {
            spec.commandLine().getErr().println("  " + s.name() + ": " + switch (s.state()) {
                case STOPPED -> "exit code " + s.exitCode();
                case NEVER_STARTED -> "never started";
                default -> s.state().toString().toLowerCase(java.util.Locale.ROOT);
            });
        }
        return code;
    }

    private void ready(String line) {
        try {
            Path tmp = Files.createTempFile(readyFile.toAbsolutePath().getParent(), "ready", ".tmp");
            Files.writeString(tmp, line + "\n");
            Files.move(tmp, readyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            spec.commandLine().getErr().println("ward local run: cannot write " + readyFile + ": " + e.getMessage());
        }
    }

    /** Starts a supervisor ({@code ward local run} without --detach) in its own session and waits until the task runs. */
    private int detach(TaskDef def, Path taskDefinition) {
        options(def); // bad options and secrets files fail here, in the foreground
        Path dir = ContainersConf.cacheDir(System.getenv());
        Path log;
        Path ready;
        try {
            Files.createDirectories(dir);
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            log = dir.resolve(PodmanPlan.sanitize(def.label()) + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
            ready = Files.createTempFile(dir, "ready", ".txt");
            Files.delete(ready);
        } catch (IOException e) {
            throw new LocalException("cannot write in " + dir + ": " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(javaCommand());
        cmd.addAll(childArgs(ready, taskDefinition));
        Process child;
        try {
            child = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(log.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new LocalException("cannot start the Ward supervisor: " + e.getMessage(), e);
        }
        var err = spec.commandLine().getErr();
        try {
            while (!Files.exists(ready) && child.isAlive()) {
                Thread.sleep(100);
            }
            String line = Files.exists(ready) ? Files.readString(ready).strip() : "";
            Files.deleteIfExists(ready);
            if (!line.startsWith("ok ")) {
                if (child.isAlive()) {
                    child.destroy();
                }
                err.println("ward local run: the task did not start" + (line.isEmpty() ? "" : ": " + line.substring(line.indexOf(' ') + 1)));
                err.println("Supervisor log: " + log);
                return child.isAlive() ? 1 : child.waitFor();
            }
            String[] parts = line.split(" ");
            spec.commandLine().getOut().println(parts[2]);
            err.println("Task " + parts[1] + " runs in the background (Ward supervisor pid " + child.pid() + ").");
            err.println("  logs:  podman logs -f " + parts[1] + "-CONTAINER   (Ward's log: " + log + ")");
            err.println("  list:  ward local ps        stop: ward local stop " + parts[2].substring(0, 12));
            return 0;
        } catch (IOException e) {
            throw new LocalException("cannot read " + ready + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** This JVM's command line up to the main class (the supervisor runs with the same JVM and class path). */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String main = System.getProperty("sun.java.command", "").split(" ")[0];
        if (main.endsWith(".jar")) {
            cmd.add("-jar");
            cmd.add(main);
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(main.isEmpty() ? LocalCommand.class.getName() : main);
        }
        return cmd;
    }

    private List<String> childArgs(Path ready, Path taskDefinition) {
        List<String> names = new ArrayList<>();
        for (CommandLine c = spec.commandLine(); c.getParent() != null; c = c.getParent()) {
            names.addFirst(c.getCommandName());
        }
        List<String> a = new ArrayList<>(names);
        a.add(taskDefinition.toAbsolutePath().toString());
        if (secrets != null) {
            a.addAll(List.of("--secrets", secrets.toAbsolutePath().toString()));
        }
        environmentFiles.forEach((k, v) -> a.addAll(List.of("--environment-file", k + "=" + v.toAbsolutePath())));
        publish.forEach(p -> a.addAll(List.of("--publish", p)));
        if (randomPorts) {
            a.add("--random-ports");
        }
        if (maxStopTimeout != null) {
            a.addAll(List.of("--max-stop-timeout", maxStopTimeout.toString()));
        }
        a.addAll(List.of("--pull", pull));
        insecureRegistries.forEach(r -> a.addAll(List.of("--insecure-registry", r)));
        if (region != null) {
            a.addAll(List.of("--region", region));
        }
        if (containersConf != null) {
            a.addAll(List.of("--containers-conf", containersConf.toAbsolutePath().toString()));
        }
        if (network != null) {
            a.addAll(List.of("--network", network));
        }
        a.addAll(List.of("--no-color", "--supervised-ready", ready.toString()));
        return a;
    }
}
