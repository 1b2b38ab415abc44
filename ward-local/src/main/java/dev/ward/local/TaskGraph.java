package dev.ward.local;

import dev.ward.local.ContainerDefinition.Condition;
import dev.ward.local.ContainerDefinition.Dependency;
import dev.ward.local.ContainerDefinition.MountPoint;
import dev.ward.local.ContainerDefinition.VolumeFrom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What spans containers: {@code dependsOn} and {@code volumesFrom} name existing containers and have no
 * cycle, {@code mountPoints} name task volumes; and the orders derived from them (create, start, stop).
 */
public final class TaskGraph {
    private TaskGraph() {}

    static void validate(TaskDefinition def, Problems problems) {
        Map<String, ContainerDefinition> byName = new LinkedHashMap<>();
        for (ContainerDefinition c : def.containers()) {
            if (byName.put(c.name(), c) != null) {
                problems.add("containerDefinitions (" + c.name() + ").name", "two containers are named \"" + c.name() + "\"");
            }
        }
        Set<String> volumes = new HashSet<>();
        for (TaskDefinition.Volume v : def.volumes()) {
            if (!volumes.add(v.name())) {
                problems.add("volumes (" + v.name() + ").name", "two volumes are named \"" + v.name() + "\"");
            }
        }
        if (def.containers().stream().noneMatch(ContainerDefinition::essential)) {
            problems.add("containerDefinitions", "no essential container (ECS needs at least one)");
        }
        String names = String.join(", ", byName.keySet());
        for (ContainerDefinition c : def.containers()) {
            String at = "container \"" + c.name() + "\"";
            int i = 0;
            for (Dependency d : c.dependsOn()) {
                String p = at + ": dependsOn[" + i++ + "]";
                ContainerDefinition target = byName.get(d.containerName());
                if (target == null) {
                    problems.add(p + ".containerName", "no container named \"" + d.containerName() + "\" in the task ("
                            + names + ")");
                } else if (target == c) {
                    problems.add(p + ".containerName", "a container cannot depend on itself");
                } else if (d.condition() == Condition.HEALTHY && target.healthCheck() == null) {
                    problems.add(p + ".condition", "HEALTHY needs a healthCheck on \"" + target.name() + "\", it has none");
                } else if ((d.condition() == Condition.COMPLETE || d.condition() == Condition.SUCCESS)
                        && target.essential()) {
                    problems.add(p + ".condition", d.condition() + " cannot be used on an essential container (\""
                            + target.name() + "\" is essential; ECS rejects this)");
                }
            }
            i = 0;
            for (VolumeFrom v : c.volumesFrom()) {
                String p = at + ": volumesFrom[" + i++ + "].sourceContainer";
                if (!byName.containsKey(v.sourceContainer())) {
                    problems.add(p, "no container named \"" + v.sourceContainer() + "\" in the task (" + names + ")");
                } else if (v.sourceContainer().equals(c.name())) {
                    problems.add(p, "a container cannot take volumes from itself");
                }
            }
            i = 0;
            for (MountPoint m : c.mountPoints()) {
                if (!volumes.contains(m.sourceVolume())) {
                    problems.add(at + ": mountPoints[" + i + "].sourceVolume", "no task volume named \""
                            + m.sourceVolume() + "\" (declare it in \"volumes\")");
                }
                i++;
            }
        }
        problems.throwIfAny();
        cycle(def, c -> c.dependsOn().stream().map(Dependency::containerName).toList(), "dependsOn", problems);
        cycle(def, c -> c.volumesFrom().stream().map(VolumeFrom::sourceContainer).toList(), "volumesFrom", problems);
    }

    private static void cycle(TaskDefinition def, Function<ContainerDefinition, List<String>> edges, String field,
            Problems problems) {
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (ContainerDefinition c : def.containers()) {
            List<String> path = new ArrayList<>();
            if (findCycle(def, c.name(), edges, state, path)) {
                problems.add("container \"" + path.getFirst() + "\": " + field,
                        "cycle: " + String.join(" -> ", path));
                return;
            }
        }
    }

    private static boolean findCycle(TaskDefinition def, String name, Function<ContainerDefinition, List<String>> edges,
            Map<String, Integer> state, List<String> path) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return false;
        }
        if (s != null) {
            int from = path.indexOf(name);
            List<String> loop = new ArrayList<>(path.subList(from, path.size()));
            loop.add(name);
            path.clear();
            path.addAll(loop);
            return true;
        }
        state.put(name, 1);
        path.add(name);
        for (String next : edges.apply(def.container(name).orElseThrow())) {
            if (findCycle(def, next, edges, state, path)) {
                return true;
            }
        }
        path.removeLast();
        state.put(name, 2);
        return false;
    }

    /** Containers in an order where every volumesFrom source comes before the containers using it. */
    public static List<ContainerDefinition> createOrder(TaskDefinition def) {
        return topological(def, c -> c.volumesFrom().stream().map(VolumeFrom::sourceContainer).toList());
    }

    /**
     * Stop levels: level 0 holds the containers no other container depends on; a container's level is one
     * more than the highest level of the containers depending on it. Stopping level by level stops every
     * container before the ones it depends on (the reverse of the start order), as ECS does.
     */
    public static Map<String, Integer> stopLevels(TaskDefinition def) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (ContainerDefinition c : def.containers()) {
            stopLevel(def, c.name(), levels);
        }
        return levels;
    }

    private static int stopLevel(TaskDefinition def, String name, Map<String, Integer> levels) {
        Integer known = levels.get(name);
        if (known != null) {
            return known;
        }
        int level = 0;
        for (ContainerDefinition other : def.containers()) {
            for (Dependency d : other.dependsOn()) {
                if (d.containerName().equals(name)) {
                    level = Math.max(level, 1 + stopLevel(def, other.name(), levels));
                }
            }
        }
        levels.put(name, level);
        return level;
    }

    private static List<ContainerDefinition> topological(TaskDefinition def,
            Function<ContainerDefinition, List<String>> edges) {
        List<ContainerDefinition> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (ContainerDefinition c : def.containers()) {
            visit(def, c, edges, done, out);
        }
        return out;
    }

    private static void visit(TaskDefinition def, ContainerDefinition c, Function<ContainerDefinition, List<String>> edges,
            Set<String> done, List<ContainerDefinition> out) {
        if (!done.add(c.name())) {
            return;
        }
        for (String next : edges.apply(c)) {
            visit(def, def.container(next).orElseThrow(), edges, done, out);
        }
        out.add(c);
    }
}
