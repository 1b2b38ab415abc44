package dev.ward.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The jar file names the agent needs in the bundle's app/ directory. ward-image does not depend on the agent (it
 * would drag the FFM bindings into every tool): the agent's and the relay plugin's own builds write the lists
 * (ward-agent's agent-classpath.txt, ward-relay-client's agent-classpath-*.txt) into their jars, and this reads
 * them from the class path the bundle is built with (the CLI's lib directory, or the build's jars in tests).
 */
final class AgentJars {
    /** Each list, with the jar that holds it (the agent and the plugin are jars of the bundle too). */
    static final List<String> LISTS = List.of("dev/ward/agent/agent-classpath.txt",
            "dev/ward/relay/client/agent-classpath-compile.txt", "dev/ward/relay/client/agent-classpath-runtime.txt");

    private AgentJars() {
    }

    static Set<String> names(ClassLoader loader) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String list : LISTS) {
            URL url = loader.getResource(list);
            if (url == null) {
                throw new IllegalStateException(list + " is not on the class path: the bundle is built from the CLI's "
                        + "lib directory (rebuild: ./mvnw -pl ward-cli -am package)");
            }
            names.add(holder(url, list).getFileName().toString());
            try (InputStream in = url.openStream()) {
                for (String e : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(":")) {
                    if (!e.isBlank()) {
                        names.add(Path.of(e.strip()).getFileName().toString());
                    }
                }
            }
        }
        return names;
    }

    /** The jar a list was read from; a directory (classes of a module built but not packaged) cannot be copied. */
    private static Path holder(URL url, String list) throws IOException {
        if (!"jar".equals(url.getProtocol())) {
            throw new IllegalStateException(list + " is not in a jar (" + url + "): run the packaged CLI (./ward) to "
                    + "build a bundle");
        }
        try {
            Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(list + ": " + jar + " is not a file");
            }
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }
}
