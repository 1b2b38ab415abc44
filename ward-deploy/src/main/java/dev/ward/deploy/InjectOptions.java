package dev.ward.deploy;

import java.util.List;
import java.util.Map;

/**
 * What {@code ward inject} was asked to do.
 *
 * @param mode             sidecar (agent image + volumesFrom) or embedded (images made by {@code ward image embed})
 * @param agentImage       the agent image for the sidecar
 * @param containers       containers to protect (empty: every essential one)
 * @param embeddedImages   container name to embedded image, for embedded mode
 * @param relay            RELAYSERVERURL (HOST:PORT), or null
 * @param policyYaml       WARD_POLICY (validated KubeArmorPolicy YAML), or null
 * @param relayTokenSecret ARN of the SSM parameter / Secrets Manager secret holding the relay token, or null
 * @param env              other WARD_* settings
 * @param relayTokenPlain  the relay token as a plain environment value (--relay-token-env, tests and development), or null
 * @param replaceAgents    remove other vendors' agents ({@link KnownAgent}) instead of refusing the input
 * @param mesh             {@code --mesh}: the protected containers join Ward's mesh; null when not asked
 */
public record InjectOptions(Mode mode, String agentImage, List<String> containers, Map<String, String> embeddedImages,
                            String relay, String policyYaml, String relayTokenSecret, Map<String, String> env,
                            String relayTokenPlain, boolean replaceAgents, Mesh mesh) {
    public enum Mode { SIDECAR, EMBEDDED }

    /**
     * What {@code --mesh} was given.
     *
     * @param namespace      the identity's namespace for the binding Ward prints (null: the input's own, else a default)
     * @param serviceAccount the identity's service account (null: the input's own, else the task family)
     * @param tokenSecret    where the enrollment token is kept (ARN; Kubernetes: SECRET/KEY), or null when the task's
     *                       IAM role earns the identity
     * @param strict         {@code WARD_MESH_INBOUND=strict}: the application's ports answer only through the mesh
     */
    public record Mesh(String namespace, String serviceAccount, String tokenSecret, boolean strict) {
    }

    /** Without mesh. */
    public InjectOptions(Mode mode, String agentImage, List<String> containers, Map<String, String> embeddedImages,
                         String relay, String policyYaml, String relayTokenSecret, Map<String, String> env,
                         String relayTokenPlain, boolean replaceAgents) {
        this(mode, agentImage, containers, embeddedImages, relay, policyYaml, relayTokenSecret, env, relayTokenPlain,
                replaceAgents, null);
    }

    public InjectOptions {
        containers = List.copyOf(containers);
        embeddedImages = Map.copyOf(embeddedImages);
        env = Map.copyOf(env);
    }

    /** Without a plain token, refusing other agents. */
    public InjectOptions(Mode mode, String agentImage, List<String> containers, Map<String, String> embeddedImages,
                         String relay, String policyYaml, String relayTokenSecret, Map<String, String> env) {
        this(mode, agentImage, containers, embeddedImages, relay, policyYaml, relayTokenSecret, env, null, false, null);
    }

    /** The same, removing other vendors' agents. */
    public InjectOptions replacingAgents() {
        return new InjectOptions(mode, agentImage, containers, embeddedImages, relay, policyYaml, relayTokenSecret, env,
                relayTokenPlain, true, mesh);
    }

    /** The same, the protected containers joining the mesh. */
    public InjectOptions meshed(Mesh m) {
        return new InjectOptions(mode, agentImage, containers, embeddedImages, relay, policyYaml, relayTokenSecret, env,
                relayTokenPlain, replaceAgents, m);
    }
}
