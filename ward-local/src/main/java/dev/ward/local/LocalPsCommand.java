package dev.ward.local;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ward local ps}: local tasks and their containers. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "Lists local tasks (ward local run) and their containers: state, health, exit code, ports.")
public final class LocalPsCommand implements Callable<Integer> {
    @Option(names = "--containers-conf", paramLabel = "FILE", description = "containers.conf for podman.")
    Path containersConf;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Podman podman = LocalPodman.locate(containersConf);
        Map<String, List<RunningTasks.Container>> tasks = RunningTasks.list(podman);
        PrintWriter out = spec.commandLine().getOut();
        if (tasks.isEmpty()) {
            out.println("No local tasks.");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TASK", "FAMILY:REV", "CONTAINER", "STATE", "HEALTH", "EXIT", "PORTS"});
        tasks.forEach((id, containers) -> {
            for (RunningTasks.Container c : containers) {
                rows.add(new String[] {id.length() > 12 ? id.substring(0, 12) : id, c.family() + ":" + c.revision(),
                        c.name(), c.state(), c.health(), c.exitCode() == null ? "" : c.exitCode().toString(), c.ports()});
            }
            if (containers.isEmpty()) {
                rows.add(new String[] {id.length() > 12 ? id.substring(0, 12) : id, "", "", "(no containers)", "", "", ""});
            }
        });
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
        return 0;
    }
}
