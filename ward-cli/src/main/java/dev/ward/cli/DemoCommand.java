package dev.ward.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ward.agent.AgentMain;
import dev.ward.api.JvmFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ward demo}: shows the agent at work on this machine in a few seconds. A workload reads a secret
 * that a KubeArmorPolicy protects; the read fails with "Permission denied" and the alert is printed.
 * The agent runs as a separate process, exactly as {@code ward run} does in a container.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show a blocked read of a secret, with its alert, on this machine.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keep", description = "keep the demo directory")
    boolean keep;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ward-demo-");
        Path secret = dir.resolve("db-password.txt");
        Files.writeString(secret, "hunter2\n");
        Path policy = dir.resolve("block-secret.yaml");
        Files.writeString(policy, """
                apiVersion: security.kubearmor.com/v1
                kind: KubeArmorPolicy
                metadata:
                  name: block-db-password
                spec:
                  severity: 8
                  tags: ["PCI-DSS", "secrets"]
                  message: "workload read the database password"
                  selector:
                    matchLabels:
                      kubearmor.io/container.name: demo
                  file:
                    matchPaths:
                    - path: %s
                  action: Block
                """.formatted(secret));
        Path alerts = dir.resolve("alerts.jsonl");
        System.out.println("Ward demo: a workload in container 'demo' reads " + secret);
        System.out.println("Policy " + policy.getFileName() + " blocks that file.\n");
        System.out.println("$ ward run --container-name demo --policy " + policy
                + " -- sh -c 'cat /etc/hostname; cat " + secret + "'");
        int code = runAgent(List.of("--container-name", "demo", "--policy", policy.toString(), "--output",
                alerts.toString(), "--", "sh", "-c", "cat /etc/hostname; cat " + secret), dir);
        System.out.println("(workload exit code " + code + ")\n");
        List<String> lines = Files.exists(alerts) ? Files.readAllLines(alerts, StandardCharsets.UTF_8) : List.of();
        System.out.println("Alerts (" + lines.size() + "), as `ward run` writes them to stdout for CloudWatch:");
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode node = json.readTree(line);
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        }
        if (!keep) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } else {
            System.out.println("Demo files kept in " + dir);
        }
        boolean blocked = lines.stream().anyMatch(l -> l.contains("\"Action\":\"Block\""));
        if (!blocked) {
            System.err.println("ward demo: expected a Block alert and saw none");
            return 1;
        }
        return 0;
    }

    /** Runs {@code ward run ARGS} as a child process with this JVM's runtime and class path. */
    private static int runAgent(List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JvmFlags.agent());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AgentMain.class.getName());
        cmd.add("run");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        return p.waitFor();
    }
}
