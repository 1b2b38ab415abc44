package dev.ward.registry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ward image inspect IMAGE}: what a runtime would take from the image's configuration. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Read an image's configuration from its registry: digest, platform, entrypoint, cmd,"
            + " user, working directory, environment, volumes."},
        footer = {"", "Examples:", "  ward image inspect nginx:1.27 --platform linux/arm64",
            "  ward image inspect 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v3 --json",
            "  ward image inspect ghcr.io/acme/app:1 \\", "      --registry-auth-env ghcr.io=me:GHCR_TOKEN"})
public final class ImageInspectCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference, e.g. nginx:1.27 or HOST/NAME@sha256:...")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", defaultValue = "linux/amd64",
            description = "Platform to pick from a multi-platform image (default: ${DEFAULT-VALUE}; also X86_64, ARM64).")
    String platform;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    RegistryOptions registry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Platform p;
        try {
            p = Platform.parse(platform);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--platform: " + e.getMessage());
        }
        ImageConfig cfg;
        try {
            cfg = registry.client().config(image, p);
        } catch (RegistryException e) {
            spec.commandLine().getErr().println("ward image inspect: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? toJson(cfg) : toText(cfg));
        out.flush();
        return 0;
    }

    static String toJson(ImageConfig c) throws Exception {
        ObjectNode n = JSON.createObjectNode().put("image", c.image()).put("digest", c.digest())
                .put("platform", c.platform().toString());
        c.entrypoint().forEach(n.putArray("entrypoint")::add);
        c.cmd().forEach(n.putArray("cmd")::add);
        n.put("user", c.user()).put("workingDir", c.workingDir()).put("stopSignal", c.stopSignal());
        c.env().forEach(n.putArray("env")::add);
        new TreeSet<>(c.volumes()).forEach(n.putArray("volumes")::add);
        ObjectNode labels = n.putObject("labels");
        new TreeMap<>(c.labels()).forEach(labels::put);
        return JSON.writeValueAsString(n) + "\n";
    }

    static String toText(ImageConfig c) throws Exception {
        StringBuilder s = new StringBuilder();
        row(s, "image", c.image());
        row(s, "digest", c.digest());
        row(s, "platform", c.platform().toString());
        row(s, "entrypoint", list(c.entrypoint()));
        row(s, "cmd", list(c.cmd()));
        row(s, "user", c.user() == null ? "(unset: root)" : c.user());
        row(s, "workdir", c.workingDir() == null ? "(unset: /)" : c.workingDir());
        row(s, "env", c.env().isEmpty() ? "(none)" : String.join("\n            ", c.env()));
        row(s, "volumes", c.volumes().isEmpty() ? "(none)" : String.join(" ", new TreeSet<>(c.volumes())));
        row(s, "stopsignal", c.stopSignal() == null ? "(unset: SIGTERM)" : c.stopSignal());
        return s.toString();
    }

    private static String list(List<String> values) throws Exception {
        return values.isEmpty() ? "(unset)" : new ObjectMapper().writeValueAsString(values);
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format("%-11s %s%n", name + ":", value));
    }
}
