package dev.ward.local;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward local stop [TASK...]}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops local tasks as ECS does (SIGTERM in reverse dependency order, SIGKILL after each "
                + "container's stopTimeout) and removes their pods, volumes and secrets.",
            "When the task's Ward supervisor still runs, it is asked to stop the task (SIGTERM); otherwise the "
                    + "containers are stopped here."})
public final class LocalStopCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TASK", arity = "0..*", description = "Task id (or its first characters), pod name or "
            + "family. Default: the only local task.")
    List<String> tasks = new ArrayList<>();

    @Option(names = {"-a", "--all"}, description = "Stop every local task.")
    boolean all;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS",
            description = "Cap the stop timeouts (default: each container's stopTimeout).")
    Integer time;

    @Option(names = "--containers-conf", paramLabel = "FILE", description = "containers.conf for podman.")
    Path containersConf;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Podman podman = LocalPodman.locate(containersConf);
        Map<String, List<RunningTasks.Container>> running = RunningTasks.list(podman);
        PrintWriter out = spec.commandLine().getOut();
        List<String> ids = new ArrayList<>();
        if (all) {
            ids.addAll(running.keySet());
        } else if (tasks.isEmpty()) {
            if (running.size() != 1) {
                throw new LocalException.BadInput(running.isEmpty() ? "no local task runs"
                        : running.size() + " local tasks run: name one (ward local ps), or use --all");
            }
            ids.addAll(running.keySet());
        } else {
            for (String t : tasks) {
                List<String> match = running.entrySet().stream().filter(e -> e.getKey().startsWith(t)
                        || e.getValue().stream().anyMatch(c -> c.pod().equals(t) || c.family().equals(t)))
                        .map(Map.Entry::getKey).toList();
                if (match.isEmpty()) {
                    throw new LocalException.BadInput("no local task matches \"" + t + "\" (see ward local ps)");
                }
                ids.addAll(match);
            }
        }
        for (String id : ids) {
            stop(podman, id, running.getOrDefault(id, List.of()));
            out.println("stopped " + id);
            out.flush();
        }
        return 0;
    }

    private void stop(Podman podman, String taskId, List<RunningTasks.Container> containers) {
        Optional<ProcessHandle> supervisor = supervisor(RunningTasks.supervisorOf(podman, taskId));
        int longest = containers.stream().mapToInt(RunningTasks.Container::stopTimeout).max().orElse(0);
        if (supervisor.isPresent() && time == null) {
            supervisor.get().destroy(); // SIGTERM: the supervisor stops the task in order and removes it
            try {
                supervisor.get().onExit().get(containers.size() * (long) longest + 30, TimeUnit.SECONDS);
                if (RunningTasks.podOf(podman, taskId) == null) {
                    return;
                }
            } catch (Exception e) {
                // fall through: stop it here
            }
        }
        List<StopProcedure.Target> targets = new ArrayList<>();
        for (RunningTasks.Container c : containers) {
            if (c.state().equals("running")) {
                targets.add(new StopProcedure.Target(c.podmanName(), c.stopLevel(),
                        time == null ? c.stopTimeout() : Math.min(time, c.stopTimeout())));
            }
        }
        StopProcedure.run(podman, targets, msg -> spec.commandLine().getErr().println(msg));
        supervisor.ifPresent(ProcessHandle::destroy);
        remove(podman, taskId, containers);
    }

    /** The task's supervisor, if that process still runs and is a ward local run. */
    private static Optional<ProcessHandle> supervisor(String pid) {
        try {
            long n = Long.parseLong(pid);
            // /proc directly: ProcessHandle.Info leaves out long command lines (the CLI's class path is long)
            String cmdline = Files.readString(Path.of("/proc", Long.toString(n), "cmdline")).replace('\0', ' ');
            if (n == ProcessHandle.current().pid() || !cmdline.contains(" local ") && !cmdline.contains("LocalCommand")
                    || !cmdline.contains(" run ")) {
                return Optional.empty();
            }
            return ProcessHandle.of(n).filter(ProcessHandle::isAlive);
        } catch (NumberFormatException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    static void remove(Podman podman, String taskId, List<RunningTasks.Container> containers) {
        List<String> rm = new ArrayList<>(List.of("rm", "--force", "--volumes", "--ignore"));
        containers.forEach(c -> rm.add(c.podmanName()));
        podman.run(rm);
        String pod = RunningTasks.podOf(podman, taskId);
        if (pod != null) {
            podman.run(List.of("pod", "rm", "--force", "--ignore", pod));
        }
        String volumes = podman.run(List.of("volume", "ls", "--quiet", "--filter", "label=" + Labels.TASK + "=" + taskId)).out();
        for (String v : volumes.strip().split("\n")) {
            if (!v.isBlank()) {
                podman.run(List.of("volume", "rm", "--force", v.strip()));
            }
        }
        String secrets = podman.run(List.of("secret", "ls", "--format", "{{.Name}}")).out();
        for (String s : secrets.strip().split("\n")) {
            if (s.strip().startsWith(Labels.SECRET_PREFIX + taskId + "-")) {
                podman.run(List.of("secret", "rm", s.strip()));
            }
        }
    }
}
