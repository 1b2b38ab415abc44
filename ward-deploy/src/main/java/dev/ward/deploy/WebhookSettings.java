package dev.ward.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What the webhook writes into pods: given to {@code ward webhook}, and to {@code manifests}, which passes it on. */
public final class WebhookSettings {
    @Option(names = "--agent-image", paramLabel = "REF",
            description = "the agent image of the init container (required; " + AgentImages.BUILD + " makes one)")
    String agentImage;

    @Option(names = "--relay", paramLabel = "HOST:PORT", description = "the relay the agents connect to")
    String relay;

    @Option(names = "--relay-token-secret", paramLabel = "SECRET/KEY",
            description = "the Secret (in each pod's namespace) and key holding the relay's agent token")
    String tokenSecret;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "another Ward setting (WARD_LOG_FILTER=all, ...)")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--fargate-profile", paramLabel = "NAME",
            description = "only pods of this EKS Fargate profile (repeatable; default: every pod sent)")
    List<String> fargateProfiles = new ArrayList<>();

    @Option(names = "--fail-closed", description = "refuse a pod that cannot be protected (default: admit it "
            + "unprotected, with a warning)")
    boolean failClosed;

    /** What is wrong with these settings, or null. */
    String problem() {
        if (agentImage == null) {
            return "--agent-image is required (" + AgentImages.BUILD + " makes one)";
        }
        if (relay != null && tokenSecret == null) {
            return "--relay needs --relay-token-secret SECRET/KEY (the agents' token)";
        }
        if (tokenSecret != null && !tokenSecret.matches("[a-z0-9.-]+/[-._A-Za-z0-9]+")) {
            return "--relay-token-secret " + tokenSecret + ": expected SECRET/KEY (a Secret in the pod's namespace)";
        }
        for (String k : env.keySet()) {
            if (!k.matches("WARD_[A-Z0-9_]+") || k.equals("WARD_RELAY_TOKEN")) {
                return "--env " + k + ": only Ward's own settings (WARD_*), never the token";
            }
        }
        return null;
    }

    InjectOptions options() {
        return new InjectOptions(InjectOptions.Mode.SIDECAR, agentImage, List.of(), Map.of(), relay, null, tokenSecret,
                env);
    }
}
