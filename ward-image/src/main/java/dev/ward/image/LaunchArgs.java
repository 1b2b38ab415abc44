package dev.ward.image;

import dev.ward.api.Entrypoint;
import dev.ward.api.JvmFlags;
import dev.ward.api.spi.AgentPlugin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The bundle's ward.args: the java @argfile with the agent's JVM flags, its plugins, class path and main class. */
final class LaunchArgs {
    /** The agent's JVM flags: every launcher's for `ward run` (ward-api's jvm.flags). */
    static final List<String> JVM_FLAGS = JvmFlags.agent();

    static final String MAIN = "dev.ward.agent.AgentMain";
    /** How the agent ends (jvm.flags): direct, or through the JVM's exit. */
    static final String EXIT_PROPERTY = "-Dward.exit=";

    private LaunchArgs() {
    }

    static void write(Path runtime, boolean aot) throws IOException {
        write(runtime, aot, JVM_FLAGS);
    }

    /**
     * The ward.args of the AOT training run: the agent's flags, but ending through the JVM's own exit
     * ({@code -Dward.exit=jvm}), which is where the JVM writes the cache.
     */
    static void writeForTraining(Path runtime) throws IOException {
        List<String> flags = new ArrayList<>(JVM_FLAGS);
        flags.replaceAll(f -> f.startsWith(EXIT_PROPERTY) ? EXIT_PROPERTY + "jvm" : f);
        write(runtime, false, flags);
    }

    private static void write(Path runtime, boolean aot, List<String> flags) throws IOException {
        List<String> lines = new ArrayList<>(flags);
        lines.add("-D" + Entrypoint.PLUGINS_PROPERTY + "=" + String.join(",", plugins(runtime.resolve("app"))));
        if (aot) {
            lines.add("-XX:AOTCache=" + Bundle.ROOT + "/ward.aot");
            lines.add("-Xlog:aot=off");
            lines.add("-Xlog:cds=off");
        }
        lines.add("-cp");
        lines.add(Bundle.ROOT + "/app/*");
        lines.add(MAIN);
        Files.writeString(runtime.resolve("ward.args"), String.join("\n", lines) + "\n");
    }

    /**
     * The agent plugins the app jars declare (their service entries), named in ward.args so that the agent does
     * not search every jar for them at each start.
     */
    static List<String> plugins(Path app) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> jars = Files.list(app)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
                try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
                    java.util.jar.JarEntry e = f.getJarEntry("META-INF/services/" + AgentPlugin.class.getName());
                    if (e == null) {
                        continue;
                    }
                    try (InputStream in = f.getInputStream(e)) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            String n = line.replaceFirst("#.*", "").strip();
                            if (!n.isEmpty()) {
                                names.add(n);
                            }
                        }
                    }
                }
            }
        }
        return List.copyOf(names);
    }
}
