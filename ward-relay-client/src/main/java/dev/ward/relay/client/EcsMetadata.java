package dev.ward.relay.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task ARN, family, cluster, service and addresses from the ECS task metadata endpoint (v4), for {@code ward agents}. Best effort:
 * outside ECS, or when the endpoint does not answer within a second, both stay empty.
 */
record EcsMetadata(String taskArn, String family, String cluster, String serviceName, List<String> addresses) {
    static final EcsMetadata NONE = new EcsMetadata("", "", "", "", List.of());
    private static final Pattern ARN = Pattern.compile("\"TaskARN\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern FAMILY = Pattern.compile("\"Family\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CLUSTER = Pattern.compile("\"Cluster\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern SERVICE = Pattern.compile("\"ServiceName\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern IPV4 = Pattern.compile("\"IPv4Addresses\"\\s*:\\s*\\[([^\\]]*)\\]");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    /**
     * {@link #fetch}, tried three times (a second each, a quarter of a second apart) when the endpoint is set but
     * does not answer: the mesh selects AuthorizationPolicies by the service or family it names, once, at start.
     */
    static EcsMetadata fetchPatiently(Map<String, String> env, java.io.PrintStream diagnostics) {
        if (env.getOrDefault("ECS_CONTAINER_METADATA_URI_V4", "").isBlank()) {
            return NONE;
        }
        for (int attempt = 1; ; attempt++) {
            EcsMetadata m = fetch(env);
            if (m != NONE || attempt == 3) {
                if (m == NONE) {
                    diagnostics.println("ward: mesh: the task metadata endpoint did not answer: no service or family "
                            + "for this task, so AuthorizationPolicies with targetRefs do not select it");
                }
                return m;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return NONE;
            }
        }
    }

    static EcsMetadata fetch(Map<String, String> env) {
        String base = env.getOrDefault("ECS_CONTAINER_METADATA_URI_V4", "").strip();
        if (base.isEmpty()) {
            return NONE;
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + "/task").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            try (InputStream in = c.getInputStream()) {
                return parse(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
            } finally {
                c.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return NONE;
        }
    }

    static EcsMetadata parse(String json) {
        String cluster = find(CLUSTER, json);
        return new EcsMetadata(find(ARN, json), find(FAMILY, json), cluster.substring(cluster.lastIndexOf('/') + 1),
                find(SERVICE, json), addresses(json));
    }

    /** Every address of the task's networks (awsvpc: the task's ENI, shared by its containers), in order. */
    private static List<String> addresses(String json) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IPV4.matcher(json);
        while (m.find()) {
            Matcher q = QUOTED.matcher(m.group(1));
            while (q.find()) {
                out.add(q.group(1));
            }
        }
        return List.copyOf(out);
    }

    private static String find(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
