package dev.ward.check.rules;

import dev.ward.taskdef.Container;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;

/**
 * Whether a container starts under Ward, in every form {@code ward inject} and {@code ward image embed} write:
 * <ul>
 *   <li>the bundle's entry point: {@code /ward/bin/env ... /ward/bin/java @/ward/ward.args run -- ARGV} (and the
 *       earlier {@code /ward/bin/java @/ward/ward.args run}): the argument file within the first six elements,
 *       followed by {@code run};</li>
 *   <li>a Ward binary: a first element ending in {@code /ward}, then {@code run};</li>
 *   <li>an embedded image (its entry point is in the image): the docker label {@value Container#WARD_LABEL};</li>
 *   <li>sidecar mode: a {@code ward-agent} container in the task that this container mounts with volumesFrom
 *       (the entry point form above is then also there, unless the task was edited by hand).</li>
 * </ul>
 * The argument file is the contract with the agent bundle (ward-agent's {@code Entrypoint.PREFIX}); ward check does
 * not depend on the agent, so it is written here again.
 */
final class WardProtection {
    static final String AGENT = "ward-agent";
    static final String ARGFILE = "@/ward/ward.args";
    /** Elements of the bundle's entry point up to and including the argument file. */
    static final int PREFIX_SIZE = 6;

    private WardProtection() {
    }

    static boolean protects(TaskDef td, Container c) {
        return startsWard(c.entryPoint().isEmpty() ? c.command() : c.entryPoint())
                || c.wardLabel().filter(Field::hasText).isPresent() || mountsAgent(td, c);
    }

    static boolean startsWard(List<Field> argv) {
        if (argv.size() >= 2 && argv.get(0).hasText() && argv.get(0).text().endsWith("/ward") && argv.get(1).is("run")) {
            return true;
        }
        for (int i = 0; i < Math.min(argv.size() - 1, PREFIX_SIZE); i++) {
            if (argv.get(i).is(ARGFILE) && argv.get(i + 1).is("run")) {
                return true;
            }
        }
        return false;
    }

    /** Ward's agent sidecar: a non-essential {@code ward-agent} container that another container mounts. */
    static boolean agentSidecar(TaskDef td, Container c) {
        return AGENT.equals(c.name()) && !c.isEssential() && td.containers().stream().anyMatch(o -> mountsAgent(td, o));
    }

    private static boolean mountsAgent(TaskDef td, Container c) {
        boolean agent = td.containers().stream().anyMatch(o -> AGENT.equals(o.name()));
        return agent && c.volumesFrom().stream()
                .anyMatch(v -> v.sourceContainer().filter(f -> f.is(AGENT)).isPresent());
    }
}
