package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code ward inject --mesh} adds to a protected container so that it joins Ward's mesh: {@code WARD_MESH=on}
 * (and {@code WARD_MESH_INBOUND=strict} when asked), the enrollment token as a secret when one is given, and the
 * mesh's inbound port 15008 among the container's ports. Applied again to a container that already has them, it
 * changes nothing. The identity itself is earned at run time (task role or token), never written here.
 */
final class MeshInjection {
    static final int HBONE_PORT = 15008;
    static final String PORT_NAME = "ward-hbone";
    static final String TOKEN = "WARD_MESH_TOKEN";

    private MeshInjection() {
    }

    /** An ECS container definition; {@code change} gets what was added. */
    static void ecs(InjectOptions.Mesh mesh, ObjectNode c, String name, List<String> change) throws InjectException {
        ArrayNode env = AgentSettings.array(c, "environment");
        if (!hasEnv(env, "RELAYSERVERURL")) {
            throw new InjectException("container " + name + ": --mesh needs the relay (its CA issues the mesh "
                    + "identities): give --relay HOST:PORT");
        }
        boolean added = AgentSettings.setEnv(env, "WARD_MESH", "on", true);
        if (mesh.strict()) {
            added |= AgentSettings.setEnv(env, "WARD_MESH_INBOUND", "strict", true);
        }
        if (mesh.tokenSecret() != null) {
            ArrayNode secrets = AgentSettings.array(c, "secrets");
            ObjectNode s = null;
            for (JsonNode e : secrets) {
                if (e.path("name").asText().equals(TOKEN)) {
                    s = (ObjectNode) e;
                }
            }
            if (s == null || !s.path("valueFrom").asText().equals(mesh.tokenSecret())) {
                (s != null ? s : secrets.addObject().put("name", TOKEN)).put("valueFrom", mesh.tokenSecret());
                change.add("secret " + TOKEN + " from " + mesh.tokenSecret());
            }
        }
        ArrayNode ports = AgentSettings.array(c, "portMappings");
        boolean mapped = false;
        for (JsonNode p : ports) {
            mapped |= p.path("containerPort").asInt() == HBONE_PORT;
        }
        if (!mapped) {
            ports.addObject().put("containerPort", HBONE_PORT).put("protocol", "tcp").put("name", PORT_NAME);
            added = true;
        }
        if (added) {
            change.add("mesh on (WARD_MESH=on" + (mesh.strict() ? ", WARD_MESH_INBOUND=strict" : "") + ", port "
                    + HBONE_PORT + " mapped)");
        }
        List<String> others = new ArrayList<>();
        for (JsonNode p : ports) {
            int port = p.path("containerPort").asInt();
            if (port != HBONE_PORT && !p.path("protocol").asText("tcp").equalsIgnoreCase("udp")) {
                others.add(Integer.toString(port));
            }
        }
        if (!others.isEmpty()) {
            change.add("still maps " + String.join(", ", others) + ": what reaches " + (others.size() == 1 ? "it" : "them")
                    + " directly skips the mesh's mutual TLS (ward check WARD-ECS-025); keep only what a load "
                    + "balancer needs" + (mesh.strict() ? "" : ", or add --mesh-strict"));
        }
    }

    /** A Kubernetes container: env, the token's secretKeyRef and the port, the same way. */
    static void kubernetes(InjectOptions.Mesh mesh, List<Map<String, Object>> env, List<Map<String, Object>> ports,
            List<String> change) {
        boolean added = AgentSettings.setEnv(env, "WARD_MESH", "on", true);
        if (mesh.strict()) {
            added |= AgentSettings.setEnv(env, "WARD_MESH_INBOUND", "strict", true);
        }
        if (mesh.tokenSecret() != null) {
            String[] ref = mesh.tokenSecret().split("/", 2);
            Map<String, Object> want = KubernetesInjector.mapOf("name", TOKEN, "valueFrom",
                    KubernetesInjector.mapOf("secretKeyRef", KubernetesInjector.mapOf("name", ref[0], "key", ref[1])));
            if (!env.contains(want)) {
                env.removeIf(e -> TOKEN.equals(e.get("name")));
                env.add(want);
                change.add(TOKEN + " from Secret " + ref[0] + " key " + ref[1]);
            }
        }
        if (ports.stream().noneMatch(p -> p.get("containerPort") instanceof Number n && n.intValue() == HBONE_PORT)) {
            ports.add(KubernetesInjector.mapOf("name", PORT_NAME, "containerPort", HBONE_PORT, "protocol", "TCP"));
            added = true;
        }
        if (added) {
            change.add("mesh on (WARD_MESH=on" + (mesh.strict() ? ", WARD_MESH_INBOUND=strict" : "") + ", port "
                    + HBONE_PORT + ")");
        }
    }

    /**
     * How the task earns its identity, as a note: the binding to make for its IAM role, or the enrollment token to
     * store. {@code role} is the task's role ARN (ECS) or null.
     */
    static String identityNote(InjectOptions.Mesh mesh, String namespace, String serviceAccount, String role) {
        String id = namespace + "/" + serviceAccount;
        if (mesh.tokenSecret() != null) {
            return "mesh identity " + id + ": store a token from 'ward mesh enroll " + id + "' in "
                    + mesh.tokenSecret();
        }
        return "mesh identity " + id + ": let the task's role hold it with 'ward mesh bind " + id + " --role "
                + (role != null ? role : "ROLE_ARN") + "'";
    }

    private static boolean hasEnv(ArrayNode env, String name) {
        for (JsonNode e : env) {
            if (e.path("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
