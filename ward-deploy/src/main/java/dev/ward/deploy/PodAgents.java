package dev.ward.deploy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ForeignAgents} for a Kubernetes pod spec: the agent's init or sidecar containers go, and with them the
 * volumes they fill (BlueLock's emptyDir) and every mount of those volumes; the launcher is cut out of
 * {@code command}; the agent's {@code env} entries go.
 */
final class PodAgents {
    private PodAgents() {
    }

    /** Removes the agents from {@code pod} and says what was there, per container. */
    static List<String> remove(Map<String, Object> pod) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        Set<String> volumes = new LinkedHashSet<>();
        for (String kind : List.of("initContainers", "containers")) {
            for (Iterator<Map<String, Object>> it = containers(pod, kind).iterator(); it.hasNext(); ) {
                Map<String, Object> c = it.next();
                KnownAgent a = KnownAgent.sidecarOf(String.valueOf(c.get("image")));
                if (a != null) {
                    for (Map<String, Object> m : list(c, "volumeMounts")) {
                        volumes.add(String.valueOf(m.get("name")));
                    }
                    found.computeIfAbsent(String.valueOf(c.get("name")), k -> new ArrayList<>())
                            .add(a.name() + "'s agent container (" + c.get("image") + ")");
                    it.remove();
                }
            }
        }
        for (Map<String, Object> c : containers(pod, "containers")) {
            List<String> parts = new ArrayList<>();
            KnownAgent launcher = unwrap(c, parts);
            List<String> env = new ArrayList<>();
            boolean bluelock = launcher != null && launcher.name().contains("BlueLock");
            list(c, "env").removeIf(e -> {
                String name = String.valueOf(e.get("name"));
                KnownAgent by = KnownAgent.configuredBy(name);
                // as in ForeignAgents: BlueLock's common names only where BlueLock launches the container
                boolean theirs = by != null && (!by.name().contains("BlueLock") || bluelock);
                if (theirs || (bluelock && name.equals("RELAYSERVERURL"))) {
                    env.add(name);
                    return true;
                }
                return false;
            });
            if (!env.isEmpty()) {
                parts.add("env " + String.join(", ", env));
            }
            List<String> mounts = new ArrayList<>();
            list(c, "volumeMounts").removeIf(m -> volumes.contains(String.valueOf(m.get("name")))
                    && mounts.add(String.valueOf(m.get("mountPath"))));
            if (!mounts.isEmpty()) {
                parts.add("volumeMounts " + String.join(", ", mounts));
            }
            if (!parts.isEmpty()) {
                found.computeIfAbsent(String.valueOf(c.get("name")), k -> new ArrayList<>()).addAll(parts);
            }
        }
        if (pod.get("volumes") instanceof List<?> vs) {
            vs.removeIf(v -> v instanceof Map<?, ?> m && volumes.contains(String.valueOf(m.get("name"))));
        }
        List<String> out = new ArrayList<>();
        found.forEach((name, parts) -> out.add("container " + name + ": " + String.join("; ", parts)));
        return out;
    }

    /** Cuts the launcher out of command; returns the agent, or null. */
    private static KnownAgent unwrap(Map<String, Object> c, List<String> parts) {
        if (!(c.get("command") instanceof List<?> command)) {
            return null;
        }
        List<String> argv = command.stream().map(String::valueOf).toList();
        for (String arg : argv) {
            KnownAgent a = KnownAgent.launchedBy(arg);
            if (a != null) {
                List<String> rest = a.unwrap(argv);
                parts.add(a.name() + " launcher " + arg + " in command");
                if (rest.isEmpty()) {
                    c.remove("command"); // the image's ENTRYPOINT, with args, is what the launcher ran
                } else {
                    c.put("command", new ArrayList<>(rest));
                }
                return a;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(Map<String, Object> pod, String key) {
        return pod.get(key) instanceof List<?> l ? (List<Map<String, Object>>) l : new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> c, String key) {
        return c.get(key) instanceof List<?> l ? (List<Map<String, Object>>) l : new ArrayList<>();
    }
}
