package dev.ward.image;

import dev.ward.api.Entrypoint;
import dev.ward.podman.ContainersConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The bundle's start-up cache: one training run of the agent in podman, written to /ward/ward.aot. */
final class AotTraining {
    private final Bundle.Progress progress;
    private final Path containersConf;

    AotTraining(Bundle.Progress progress, Path containersConf) {
        this.progress = progress;
        this.containersConf = containersConf;
    }

    /**
     * One supervised run with the bundle mounted at /ward (a container of a throwaway root holding only busybox),
     * recording the classes it loads into /ward/ward.aot. Skipped, with a note, where podman is not available.
     */
    void train(Path runtime) throws IOException, InterruptedException {
        Path busybox = Path.of("/bin/busybox");
        if (Commands.run(List.of("sh", "-c", "command -v podman || true")).isBlank() || !Files.isExecutable(busybox)) {
            progress.step("no podman or /bin/busybox here: the bundle has no AOT cache (it starts slower)");
            return;
        }
        Path rootfs = Files.createTempDirectory("ward-train-root");
        try {
            Files.createDirectories(rootfs.resolve("bin"));
            Files.createDirectories(rootfs.resolve("ward"));
            Files.createDirectories(rootfs.resolve("tmp"));
            Files.copy(busybox, rootfs.resolve("bin/busybox"));
            Files.writeString(rootfs.resolve("train.yaml"), """
                    apiVersion: security.kubearmor.com/v1
                    kind: KubeArmorPolicy
                    metadata: {name: train}
                    spec:
                      selector: {matchLabels: {kubearmor.io/container.name: train}}
                      file: {matchPaths: [{path: /nonexistent/ward-train}]}
                      action: Block
                    """);
            List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm", "--network=none", "-v",
                    runtime + ":" + Bundle.ROOT, "--rootfs", rootfs.toString()));
            cmd.addAll(Entrypoint.PREFIX.subList(0, Entrypoint.PREFIX.size() - 2)); // env: trained as it runs
            cmd.addAll(List.of(Bundle.ROOT + "/bin/java", "-XX:AOTCacheOutput=" + Bundle.ROOT + "/ward.aot", "-Xlog:aot=off",
                    "-Xlog:cds=off", "@" + Bundle.ROOT + "/ward.args", "run", "--container-name", "train", "--policy",
                    "/train.yaml", "--log-filter", "all", "--output", "/tmp/t.json", "--", "/bin/busybox", "cat",
                    "/nonexistent/ward-train"));
            LaunchArgs.writeForTraining(runtime);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("CONTAINERS_CONF",
                    ContainersConf.resolve(containersConf, System.getenv()).toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            boolean trained = Files.isRegularFile(runtime.resolve("ward.aot"));
            LaunchArgs.write(runtime, trained);
            if (!trained) {
                progress.step("the AOT training run did not write a cache (continuing without): " + out.strip());
                return;
            }
            progress.step("AOT cache trained (" + Files.size(runtime.resolve("ward.aot")) / 1024 + " KiB)");
        } finally {
            Bundle.deleteTree(rootfs);
        }
    }
}
