package dev.ward.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test helper: what a task definition does that Fargate refuses (from the Fargate task definition parameter
 * reference). Tests compare the input's list with the output's: ward inject must add none.
 */
final class FargateRules {
    private FargateRules() {
    }

    static Set<String> violations(JsonNode td) {
        Set<String> out = new TreeSet<>();
        String mode = td.path("networkMode").asText("bridge");
        if (!mode.equals("awsvpc")) {
            out.add("networkMode " + mode + " (Fargate: awsvpc)");
        }
        if (td.hasNonNull("ipcMode")) {
            out.add("ipcMode");
        }
        if (td.hasNonNull("pidMode") && !td.get("pidMode").asText().equals("task")) {
            out.add("pidMode " + td.get("pidMode").asText());
        }
        if (!td.path("placementConstraints").isEmpty()) {
            out.add("placementConstraints");
        }
        for (JsonNode v : td.path("volumes")) {
            if (v.has("host") || v.has("dockerVolumeConfiguration")) {
                out.add("volume " + v.path("name").asText() + ": host or Docker volume");
            }
        }
        for (JsonNode c : td.path("containerDefinitions")) {
            String n = "container " + c.path("name").asText() + ": ";
            if (c.path("privileged").asBoolean(false)) {
                out.add(n + "privileged");
            }
            for (JsonNode cap : c.path("linuxParameters").path("capabilities").path("add")) {
                if (!cap.asText().equals("SYS_PTRACE")) {
                    out.add(n + "capability " + cap.asText() + " added (Fargate: only SYS_PTRACE)");
                }
            }
            for (String field : new String[] {"links", "dockerSecurityOptions", "extraHosts"}) {
                if (!c.path(field).isEmpty()) {
                    out.add(n + field);
                }
            }
            for (String field : new String[] {"devices", "sharedMemorySize", "tmpfs", "maxSwap", "swappiness"}) {
                if (c.path("linuxParameters").has(field)) {
                    out.add(n + "linuxParameters." + field);
                }
            }
            for (JsonNode p : c.path("portMappings")) {
                if (p.has("hostPort") && p.get("hostPort").asInt() != p.path("containerPort").asInt()) {
                    out.add(n + "hostPort " + p.get("hostPort").asInt() + " differs from containerPort");
                }
            }
        }
        return out;
    }
}
