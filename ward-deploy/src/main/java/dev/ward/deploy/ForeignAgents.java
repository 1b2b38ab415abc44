package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Other vendors' runtime-security agents ({@link KnownAgent}) in an ECS task definition: found, and taken out.
 * Removing means: the agent's sidecar container goes, and with it every {@code volumesFrom} and {@code dependsOn}
 * that names it; the launcher is cut out of the entry point (or command), so the application's own argv is left;
 * the agent's environment variables and secrets (its access token among them) go. BlueLock's
 * {@code RELAYSERVERURL} goes too: it points at KubeArmor's relay, and Ward's agent would try to reach it.
 *
 * <p>Lists left empty stay, in their place (ECS takes {@code []}; Ward's own entries go into them).
 *
 * <p>The caller works on a copy: {@link #remove} changes the containers in place and returns what it removed,
 * one line per container, which is also the report when the user did not ask for the removal.
 */
final class ForeignAgents {
    private ForeignAgents() {
    }

    /** Removes the agents from task definition {@code td} and says what was there, per container. */
    static List<String> remove(ObjectNode td) {
        ArrayNode defs = (ArrayNode) td.get("containerDefinitions");
        Map<String, List<String>> found = new LinkedHashMap<>();
        Set<String> sidecars = new LinkedHashSet<>();
        Set<String> volumes = new LinkedHashSet<>(); // the task volumes an agent's container fills (BlueLock's)
        for (Iterator<JsonNode> it = defs.elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            KnownAgent a = KnownAgent.sidecarOf(c.path("image").asText(""));
            if (a != null) {
                String name = c.path("name").asText();
                sidecars.add(name);
                c.path("mountPoints").forEach(m -> volumes.add(m.path("sourceVolume").asText()));
                found.computeIfAbsent(name, k -> new ArrayList<>()).add(a.name() + "'s agent container ("
                        + c.path("image").asText() + ")");
                it.remove();
            }
        }
        for (JsonNode n : defs) {
            ObjectNode c = (ObjectNode) n;
            List<String> parts = new ArrayList<>();
            KnownAgent launcher = unwrap(c, parts);
            parts.addAll(removeNamed(c, "environment", launcher));
            parts.addAll(removeNamed(c, "secrets", launcher));
            List<String> mounts = removeReferences(c, "volumesFrom", "sourceContainer", sidecars);
            if (!mounts.isEmpty()) {
                parts.add("volumesFrom " + String.join(", ", mounts));
            }
            removeReferences(c, "dependsOn", "containerName", sidecars);
            List<String> mountPoints = removeReferences(c, "mountPoints", "sourceVolume", volumes);
            if (!mountPoints.isEmpty()) {
                parts.add("mountPoints of volume " + String.join(", ", mountPoints));
            }
            if (!parts.isEmpty()) {
                found.computeIfAbsent(c.path("name").asText(), k -> new ArrayList<>()).addAll(parts);
            }
        }
        List<String> removedVolumes = removeReferences(td, "volumes", "name", volumes);
        List<String> out = new ArrayList<>();
        found.forEach((name, parts) -> out.add("container " + name + ": " + String.join("; ", parts)));
        if (!removedVolumes.isEmpty()) {
            out.add("task volumes " + String.join(", ", removedVolumes) + " (filled by the agent's container)");
        }
        return out;
    }

    /**
     * The argv read from an image, without another agent's launcher: cut out when it is an element of its own
     * (and {@code replace}), refused when it is inside a shell command, which Ward cannot take apart safely.
     *
     * @param where "container NAME", for the messages
     */
    static List<String> imageArgv(List<String> argv, String image, String where, boolean replace, List<String> notes)
            throws InjectException {
        for (String arg : argv) {
            KnownAgent a = KnownAgent.launchedBy(arg);
            if (a != null) {
                String found = where + ": the image " + image + " starts " + a.name() + " (" + arg + ") in its ENTRYPOINT/CMD";
                if (!replace) {
                    throw InjectException.refused(refusal(List.of(found)));
                }
                notes.add("removed another agent: " + found + "; the application's argv is run under Ward instead");
                return a.unwrap(argv);
            }
            for (KnownAgent k : KnownAgent.ALL) {
                for (String w : k.wrapper()) {
                    if (arg.contains(w) && !arg.equals(w)) {
                        throw InjectException.refused(where + ": the image " + image + " starts " + k.name()
                                + " inside a shell command (" + arg + "), which Ward cannot take apart: set entryPoint "
                                + "and command in the input to the application's own (its image without " + k.name()
                                + "), or use an image without it");
                    }
                }
            }
        }
        return argv;
    }

    /** The error when agents were found and --replace-agents was not given. */
    static String refusal(List<String> found) {
        return "other runtime-security agents are in the task (two agents cannot supervise one process, and their "
                + "tokens would stay in the task):\n  " + String.join("\n  ", found)
                + "\npass --replace-agents to remove them and protect the task with Ward alone, or remove them yourself";
    }

    /** Cuts the launcher out of entryPoint (or, without one, command); returns the agent, or null. */
    private static KnownAgent unwrap(ObjectNode c, List<String> parts) {
        for (String field : List.of("entryPoint", "command")) {
            List<String> argv = strings(c.get(field));
            if (argv == null) {
                continue;
            }
            for (String arg : argv) {
                KnownAgent a = KnownAgent.launchedBy(arg);
                if (a == null) {
                    continue;
                }
                List<String> rest = a.unwrap(argv);
                parts.add(a.name() + " launcher " + arg + " in " + field);
                if (!rest.isEmpty()) {
                    c.set(field, array(rest));
                } else if (field.equals("entryPoint") && c.has("command")) {
                    // the launcher ran the command: it becomes the entry point, as it was the program run
                    c.set("entryPoint", c.remove("command"));
                } else {
                    c.remove(field);
                }
                return a;
            }
            if (field.equals("entryPoint")) {
                return null; // with an entry point, the command is arguments, never a launcher
            }
        }
        return null;
    }

    /** Removes environment variables or secrets that configure a known agent; returns "environment A, B". */
    private static List<String> removeNamed(ObjectNode c, String field, KnownAgent launcher) {
        JsonNode list = c.get(field);
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            String name = it.next().path("name").asText();
            // BlueLock's names are common words (K8S, RELAYSERVERURL, which points at KubeArmor's relay): only in a
            // container BlueLock launches; the others' names are their own.
            KnownAgent by = KnownAgent.configuredBy(name);
            boolean bluelock = launcher != null && launcher.name().contains("BlueLock");
            boolean theirs = by != null && (!by.name().contains("BlueLock") || bluelock);
            if (theirs || (bluelock && name.equals("RELAYSERVERURL"))) {
                removed.add(name);
                it.remove();
            }
        }
        return removed.isEmpty() ? List.of() : List.of(field + " " + String.join(", ", removed));
    }

    /** Removes the entries of {@code field} whose {@code key} is one of {@code gone}; returns their names. */
    private static List<String> removeReferences(ObjectNode c, String field, String key, Set<String> gone) {
        JsonNode list = c.get(field);
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            String name = it.next().path(key).asText();
            if (gone.contains(name)) {
                removed.add(name);
                it.remove();
            }
        }
        return removed;
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
