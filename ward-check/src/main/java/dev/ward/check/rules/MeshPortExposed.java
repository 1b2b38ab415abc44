package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.TaskDef;
import java.util.List;
import java.util.Locale;

/**
 * WARD-ECS-025: a container in Ward's mesh ({@code WARD_MESH=on}, or {@code --mesh} on its command line) that maps
 * application ports besides the mesh's inbound port 15008: what reaches them directly skips mutual TLS.
 */
final class MeshPortExposed extends ContainerRule {
    static final int HBONE_PORT = 15008;
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-025", "MeshedContainerExposesPlaintextPort", Severity.MEDIUM,
            List.of(),
            "Meshed container maps a port besides the mesh's 15008",
            "With Ward's mesh on, other tasks reach this container through port 15008 in mutual TLS, and Ward delivers "
                    + "to the application's own port on the loopback. A mapped application port tells load balancers "
                    + "and Service Connect to send traffic to it directly, in plaintext and without a verified peer "
                    + "identity; only the security group then decides who gets in.",
            "Map only 15008 for traffic between meshed tasks, and let the security group admit the application port "
                    + "only from the load balancer that needs it (or suppress the finding with that reason).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (!meshed(c)) {
            return;
        }
        for (Container.PortMapping p : c.portMappings()) {
            if (!p.protocolName().equals("tcp")) {
                continue;
            }
            if (p.containerPortRange().isPresent()) {
                sink.report(INFO, td, c, p.containerPortRange().get(), "Container `" + c.name() + "` is in Ward's "
                        + "mesh but maps a port range: those ports are reachable without the mesh's mutual TLS.");
                continue;
            }
            Integer port = p.containerPort().flatMap(Field::integer).orElse(null);
            if (port != null && port != HBONE_PORT) {
                sink.report(INFO, td, c, p.containerPort().get().loc(), "Container `" + c.name() + "` is in Ward's "
                        + "mesh but maps port " + port + ": traffic sent there skips the mesh's mutual TLS (peers use "
                        + HBONE_PORT + ").");
            }
        }
    }

    /** WARD_MESH=on in the environment, or {@code --mesh} after {@code run} in the entry point or command. */
    static boolean meshed(Container c) {
        for (EnvVar e : c.environment()) {
            if (e.literalName().filter("WARD_MESH"::equals).isPresent()) {
                String v = e.value().flatMap(Field::literal).orElse("").strip().toLowerCase(Locale.ROOT);
                return v.equals("on") || v.equals("1") || v.equals("true");
            }
        }
        boolean run = false;
        for (List<Field> args : List.of(c.entryPoint(), c.command())) {
            for (Field a : args) {
                String s = a.literal().orElse("");
                if (s.equals("--")) {
                    return false;
                }
                if (s.equals("run")) {
                    run = true;
                } else if (run && s.equals("--mesh")) {
                    return true;
                }
            }
        }
        return false;
    }
}
