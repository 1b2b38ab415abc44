package dev.ward.local;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.Container.Condition;
import dev.ward.taskdef.Container.Dependency;
import dev.ward.taskdef.Container.MountPoint;
import dev.ward.taskdef.Container.VolumeFrom;
import dev.ward.taskdef.TaskDef;
import dev.ward.taskdef.Volume;
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

    static void validate(TaskDef def, Problems problems) {
        Map<String, Container> byName = new LinkedHashMap<>();
        for (Container c : def.containers()) {
            if (byName.put(c.name(), c) != null) {
                problems.add("containerDefinitions (" + c.name() + ").name", "two containers are named \"" + c.name() + "\"");
            }
        }
        Set<String> volumes = new HashSet<>();
        for (Volume v : def.volumes()) {
            if (!volumes.add(v.name())) {
                problems.add("volumes (" + v.name() + ").name", "two volumes are named \"" + v.name() + "\"");
            }
        }
        if (def.containers().stream().noneMatch(Container::isEssential)) {
            problems.add("containerDefinitions", "no essential container (ECS needs at least one)");
        }
        String names = String.join(", ", byName.keySet());
        for (Container c : def.containers()) {
            String at = "container \"" + c.name() + "\"";
            int i = 0;
            for (Dependency d : c.dependsOn()) {
                String p = at + ": dependsOn[" + i++ + "]";
                String targetName = Values.text(d.containerName());
                Condition condition = d.knownCondition().orElseThrow();
                Container target = byName.get(targetName);
                if (target == null) {
                    problems.add(p + ".containerName", "no container named \"" + targetName + "\" in the task ("
                            + names + ")");
                } else if (target == c) {
                    problems.add(p + ".containerName", "a container cannot depend on itself");
                } else if (condition == Condition.HEALTHY && target.healthCheck().isEmpty()) {
                    problems.add(p + ".condition", "HEALTHY needs a healthCheck on \"" + target.name() + "\", it has none");
                } else if ((condition == Condition.COMPLETE || condition == Condition.SUCCESS)
                        && target.isEssential()) {
                    problems.add(p + ".condition", condition + " cannot be used on an essential container (\""
                            + target.name() + "\" is essential; ECS rejects this)");
                }
            }
            i = 0;
            for (VolumeFrom v : c.volumesFrom()) {
                String p = at + ": volumesFrom[" + i++ + "].sourceContainer";
                String source = Values.text(v.sourceContainer());
                if (!byName.containsKey(source)) {
                    problems.add(p, "no container named \"" + source + "\" in the task (" + names + ")");
                } else if (source.equals(c.name())) {
                    problems.add(p, "a container cannot take volumes from itself");
                }
            }
            i = 0;
            for (MountPoint m : c.mountPoints()) {
                String volume = Values.text(m.sourceVolume());
                if (!volumes.contains(volume)) {
                    problems.add(at + ": mountPoints[" + i + "].sourceVolume", "no task volume named \""
                            + volume + "\" (declare it in \"volumes\")");
                }
                i++;
            }
        }
        problems.throwIfAny();
        cycle(def, TaskGraph::dependencies, "dependsOn", problems);
        cycle(def, TaskGraph::volumeSources, "volumesFrom", problems);
    }

    private static void cycle(TaskDef def, Function<Container, List<String>> edges, String field,
            Problems problems) {
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        for (Container c : def.containers()) {
            List<String> path = new ArrayList<>();
            if (findCycle(def, c.name(), edges, state, path)) {
                problems.add("container \"" + path.getFirst() + "\": " + field,
                        "cycle: " + String.join(" -> ", path));
                return;
            }
        }
    }

    private static boolean findCycle(TaskDef def, String name, Function<Container, List<String>> edges,
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
    public static List<Container> createOrder(TaskDef def) {
        return topological(def, TaskGraph::volumeSources);
    }

    /**
     * Stop levels: level 0 holds the containers no other container depends on; a container's level is one
     * more than the highest level of the containers depending on it. Stopping level by level stops every
     * container before the ones it depends on (the reverse of the start order), as ECS does.
     */
    public static Map<String, Integer> stopLevels(TaskDef def) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (Container c : def.containers()) {
            stopLevel(def, c.name(), levels);
        }
        return levels;
    }

    private static int stopLevel(TaskDef def, String name, Map<String, Integer> levels) {
        Integer known = levels.get(name);
        if (known != null) {
            return known;
        }
        int level = 0;
        for (Container other : def.containers()) {
            for (String d : dependencies(other)) {
                if (d.equals(name)) {
                    level = Math.max(level, 1 + stopLevel(def, other.name(), levels));
                }
            }
        }
        levels.put(name, level);
        return level;
    }

    private static List<Container> topological(TaskDef def,
            Function<Container, List<String>> edges) {
        List<Container> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Container c : def.containers()) {
            visit(def, c, edges, done, out);
        }
        return out;
    }

    private static void visit(TaskDef def, Container c, Function<Container, List<String>> edges,
            Set<String> done, List<Container> out) {
        if (!done.add(c.name())) {
            return;
        }
        for (String next : edges.apply(c)) {
            visit(def, def.container(next).orElseThrow(), edges, done, out);
        }
        out.add(c);
    }

    private static List<String> dependencies(Container c) {
        return c.dependsOn().stream().map(d -> Values.text(d.containerName())).toList();
    }

    private static List<String> volumeSources(Container c) {
        return c.volumesFrom().stream().map(v -> Values.text(v.sourceContainer())).toList();
    }
}
