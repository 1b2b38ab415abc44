package dev.ward.check.rules;

import dev.ward.check.RuleInfo;
import dev.ward.check.Severity;
import dev.ward.taskdef.Container;
import dev.ward.taskdef.EnvVar;
import dev.ward.taskdef.Field;
import dev.ward.taskdef.SecurityGroup;
import dev.ward.taskdef.Service;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * WARD-ECS-027: a service whose task definition has a container in Ward's mesh that maps an application port, while
 * a security group of the service admits that port (by its range, or with every protocol) from a CIDR range. With the
 * mesh's default inbound mode the security group is what keeps plaintext out, so such a rule lets clients reach the
 * application directly, past mutual TLS and every AuthorizationPolicy.
 *
 * <p>Only what the input resolves is judged: the task definition and the security groups must be defined in the same
 * template or plan as the service (create-service JSON names its groups by id, so it never gives a finding). A group
 * given by id alone, rules from a referenced security group or prefix list (a load balancer's group, typically), port
 * ranges in portMappings and ports known only at deploy time give no finding. Ports that
 * {@code WARD_MESH_INBOUND=strict} moves to the loopback are not exposed, whatever the group admits.
 */
final class MeshSecurityGroupOpen implements Rule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-027", "MeshedServiceSecurityGroupAdmitsApplicationPort",
            Severity.HIGH, List.of(),
            "Security group of a meshed service admits the application port",
            "Ward's mesh verifies every peer with mutual TLS on port 15008 and applies AuthorizationPolicies there. "
                    + "Unless inbound is strict, the application keeps listening on its own port, and the security "
                    + "group is the only thing that keeps plaintext out: an ingress rule that admits that port from an "
                    + "address range lets every host in the range talk to the application directly, without a "
                    + "verified identity and past every policy.",
            "Admit only 15008 between meshed tasks, and the application port only from the load balancer's security "
                    + "group (SourceSecurityGroupId / security_groups), or set WARD_MESH_INBOUND=strict (ward inject "
                    + "--mesh-strict) so that the application answers only through the mesh.");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    public void checkService(Service s, RuleContext ctx, Sink sink) {
        if (s.task().isEmpty() || s.securityGroups().isEmpty()) {
            return;
        }
        for (Container c : s.task().get().containers()) {
            if (!MeshPortExposed.meshed(c)) {
                continue;
            }
            for (Container.PortMapping p : c.portMappings()) {
                Integer port = p.containerPort().flatMap(Field::integer).orElse(null);
                if (!p.protocolName().equals("tcp") || port == null || port == MeshPortExposed.HBONE_PORT
                        || strict(c, port)) {
                    continue;
                }
                for (SecurityGroup g : s.securityGroups()) {
                    for (SecurityGroup.Ingress r : g.ingress()) {
                        if (r.admitsTcp(port) && !r.cidrs().isEmpty()) {
                            sink.report(INFO, s, c, r.portLoc(), message(s, c, port, g, r));
                        }
                    }
                }
            }
        }
    }

    private static String message(Service s, Container c, int port, SecurityGroup g, SecurityGroup.Ingress r) {
        String from = r.cidrs().stream().map(Field::shown).collect(Collectors.joining(", "));
        String what = r.allProtocols() ? "every protocol and port" : "TCP " + r.fromPort().map(Field::shown).orElse("?")
                + "-" + r.toPort().map(Field::shown).orElse("?");
        return "Service `" + s.label() + "` runs container `" + c.name() + "` in Ward's mesh, and its security group `"
                + g.label() + "` admits " + what + " from " + from + ": port " + port + " takes plaintext past the "
                + "mesh's mutual TLS (peers use " + MeshPortExposed.HBONE_PORT + ").";
    }

    /** WARD_MESH_INBOUND=strict, and WARD_MESH_STRICT_PORTS empty (every port) or listing {@code port}. */
    private static boolean strict(Container c, int port) {
        if (!env(c, "WARD_MESH_INBOUND").map(v -> v.toLowerCase(Locale.ROOT)).filter("strict"::equals).isPresent()) {
            return false;
        }
        String ports = env(c, "WARD_MESH_STRICT_PORTS").orElse("");
        if (ports.isBlank()) {
            return true;
        }
        for (String p : ports.split(",")) {
            if (p.strip().equals(Integer.toString(port))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> env(Container c, String name) {
        for (EnvVar e : c.environment()) {
            if (e.literalName().filter(name::equals).isPresent()) {
                return Optional.of(e.value().flatMap(Field::literal).orElse("").strip());
            }
        }
        return Optional.empty();
    }
}
