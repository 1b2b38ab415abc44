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
 */
public record InjectOptions(Mode mode, String agentImage, List<String> containers, Map<String, String> embeddedImages,
                            String relay, String policyYaml, String relayTokenSecret, Map<String, String> env) {
    public enum Mode { SIDECAR, EMBEDDED }

    public InjectOptions {
        containers = List.copyOf(containers);
        embeddedImages = Map.copyOf(embeddedImages);
        env = Map.copyOf(env);
    }
}
