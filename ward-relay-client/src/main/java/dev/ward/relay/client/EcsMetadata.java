package dev.ward.relay.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task ARN and family from the ECS task metadata endpoint (v4), for {@code ward agents}. Best effort:
 * outside ECS, or when the endpoint does not answer within a second, both stay empty.
 */
record EcsMetadata(String taskArn, String family) {
    static final EcsMetadata NONE = new EcsMetadata("", "");
    private static final Pattern ARN = Pattern.compile("\"TaskARN\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern FAMILY = Pattern.compile("\"Family\"\\s*:\\s*\"([^\"]*)\"");

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
        return new EcsMetadata(find(ARN, json), find(FAMILY, json));
    }

    private static String find(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? m.group(1) : "";
    }
}
