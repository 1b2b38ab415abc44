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
 * WARD-ECS-026: a container in Ward's mesh whose inbound is not strict ({@code WARD_MESH_INBOUND=strict}): its
 * application still listens on the task's addresses, so a client that reaches the port directly (a peer in the
 * security group, a load balancer) gets through in plaintext and without a verified identity.
 */
final class MeshInboundNotStrict extends ContainerRule {
    static final RuleInfo INFO = new RuleInfo("WARD-ECS-026", "MeshedContainerInboundNotStrict", Severity.LOW,
            List.of(),
            "Meshed container accepts plaintext besides the mesh",
            "Without WARD_MESH_INBOUND=strict, Ward's mesh adds mutual TLS for peers that use it but leaves the "
                    + "application's own listening sockets on the task's addresses: whoever the security group admits "
                    + "reaches them directly, and AuthorizationPolicies never see those connections. In production "
                    + "the mesh should be the only way in.",
            "Set WARD_MESH_INBOUND=strict (ward inject --mesh-strict): the application's listening sockets move to "
                    + "the loopback and only the mesh's port 15008 answers on the task's addresses. Keep it off only "
                    + "for a port a load balancer must reach (WARD_MESH_STRICT_PORTS lists the ports made strict).");

    @Override
    public RuleInfo info() {
        return INFO;
    }

    @Override
    void checkContainer(TaskDef td, Container c, RuleContext ctx, Sink sink) {
        if (!MeshPortExposed.meshed(c)) {
            return;
        }
        for (EnvVar e : c.environment()) {
            if (e.literalName().filter("WARD_MESH_INBOUND"::equals).isPresent()) {
                String v = e.value().flatMap(Field::literal).orElse("").strip().toLowerCase(Locale.ROOT);
                if (!v.equals("strict")) {
                    sink.report(INFO, td, c, e.value().map(Field::loc).orElse(c.loc()), "Container `" + c.name()
                            + "` is in Ward's mesh with WARD_MESH_INBOUND=" + v + ": its ports also accept "
                            + "plaintext from anyone the security group admits.");
                }
                return;
            }
        }
        sink.report(INFO, td, c, c.loc(), "Container `" + c.name() + "` is in Ward's mesh without "
                + "WARD_MESH_INBOUND=strict: its ports also accept plaintext from anyone the security group admits.");
    }
}
