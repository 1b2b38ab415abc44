package dev.ward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The module layout as documented and as the code uses it. The poms' side of the dependency rule is enforced by the
 * build itself (the root pom's enforcer executions); this checks what the poms cannot see: the README's module
 * list, and that main code only imports the packages its module may reach (a test-scoped agent dependency, which
 * the rule allows, must not leak into production code).
 */
class ArchitectureTest {
    /** Packages that belong to the agent side: only the modules listed may import them in main code. */
    private static final Map<String, Set<String>> AGENT_SIDE = Map.of(
            "dev.ward.bindings", Set.of("ward-bindings", "ward-capture", "ward-agent"),
            "dev.ward.capture", Set.of("ward-capture", "ward-agent", "ward-bench"),
            "dev.ward.agent", Set.of("ward-agent", "ward-cli", "ward-bench"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.ward\\.[a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void theReadmeListsEveryModuleOfTheBuildInItsOrder() throws Exception {
        Path root = WardCli.root();
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("## How it works");
        assertThat(start).as("README.md has a How it works section").isNotNegative();
        int open = readme.indexOf("```\n", start) + 4;
        String block = readme.substring(open, readme.indexOf("```", open));
        List<String> listed = new ArrayList<>();
        for (String line : block.split("\n")) {
            if (!line.isBlank()) {
                listed.add(line.strip().split("\\s+")[0]);
            }
        }
        assertThat(listed).isEqualTo(modules(root));
    }

    @Test
    void mainCodeImportsOnlyWhatItsModuleMayReach() throws IOException {
        Path root = WardCli.root();
        Map<String, List<String>> offences = new TreeMap<>();
        for (String module : modules(root)) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        Set<String> allowed = AGENT_SIDE.get(m.group(1));
                        if (allowed != null && !allowed.contains(module)) {
                            offences.computeIfAbsent(module, k -> new ArrayList<>())
                                    .add(root.relativize(f) + " imports " + m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(offences).as("tools share with the agent through ward-api only").isEmpty();
    }

    /** The root pom's modules, in order. */
    private static List<String> modules(Path root) {
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
            NodeList nodes = ((Element) doc.getDocumentElement().getElementsByTagName("modules").item(0))
                    .getElementsByTagName("module");
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                modules.add(nodes.item(i).getTextContent().strip());
            }
            return modules;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the root pom.xml: " + e, e);
        }
    }
}
