package dev.ward.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container's and its task's identity from the ECS task metadata endpoint v4
 * ({@code $ECS_CONTAINER_METADATA_URI_V4} for the container, {@code .../task} for the task): the container's
 * Docker ID, name, image and image ID, and the task's cluster, ARN, family, revision, availability zone, service
 * and addresses. The agent's one reader of the endpoint: event identity, the relay's Hello and the mesh use it.
 *
 * <pre>{@code
 * EcsTask task = EcsTask.fetch(System.getenv()); // null outside ECS or when the endpoint does not answer
 * }</pre>
 */
public record EcsTask(String cluster, String taskArn, String family, String revision, String availabilityZone,
        String dockerId, String containerName, String image, String imageId, String serviceName,
        List<String> addresses) {
    /** The variable ECS sets in every container of a task (platform version 1.4.0 and later on Fargate). */
    public static final String ENDPOINT_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";
    /** Outside ECS, or while the endpoint does not answer: every field empty. */
    public static final EcsTask NONE = new EcsTask("", "", "", "", "", "", "", "", "", "", List.of());
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int TIMEOUT_MILLIS = 1000;

    /**
     * Reads both documents; null when the variable is unset, the endpoint does not answer within a second or
     * answers with something that is not a v4 document.
     */
    public static EcsTask fetch(Map<String, String> env) {
        String base = env.getOrDefault(ENDPOINT_VARIABLE, "").strip();
        if (base.isEmpty()) {
            return null;
        }
        try {
            return parse(get(base), get(base + "/task"));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@link #fetch}, asked up to {@code tries} times a quarter of a second apart while the variable is set and the
     * endpoint does not answer (a sidecar's endpoint may come up after the agent); null when it never answers.
     */
    public static EcsTask fetchPatiently(Map<String, String> env, int tries) {
        if (env.getOrDefault(ENDPOINT_VARIABLE, "").isBlank()) {
            return null;
        }
        for (int attempt = 1; ; attempt++) {
            EcsTask task = fetch(env);
            if (task != null || attempt >= tries) {
                return task;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** The container document and the task document, as the endpoint serves them. */
    public static EcsTask parse(String containerJson, String taskJson) throws IOException {
        Map<String, String> labels = new HashMap<>();
        Map<String, String> container = topLevel(containerJson, labels, null);
        Set<String> addresses = new LinkedHashSet<>();
        Map<String, String> task = topLevel(taskJson, null, addresses);
        String cluster = first(task.get("Cluster"), labels.get("com.amazonaws.ecs.cluster"));
        return new EcsTask(cluster.substring(cluster.lastIndexOf('/') + 1),
                first(task.get("TaskARN"), labels.get("com.amazonaws.ecs.task-arn")),
                first(task.get("Family"), labels.get("com.amazonaws.ecs.task-definition-family")),
                first(task.get("Revision"), labels.get("com.amazonaws.ecs.task-definition-version")),
                first(task.get("AvailabilityZone"), null), first(container.get("DockerId"), null),
                first(container.get("Name"), labels.get("com.amazonaws.ecs.container-name")),
                first(container.get("Image"), null), first(container.get("ImageID"), null),
                first(task.get("ServiceName"), null), List.copyOf(addresses));
    }

    /**
     * The image with its digest, as KubeArmor reports a container image ({@code repo:tag@sha256:...}): the
     * image as ECS gives it when it names a digest already, else the image and its ImageID (the digest ECS resolved
     * the tag to), else the image alone.
     */
    public String imageWithDigest() {
        if (image.contains("@sha256:") || !imageId.startsWith("sha256:")) {
            return image;
        }
        return image.isEmpty() ? imageId : image + "@" + imageId;
    }

    /** The labels every event of the task carries: ecs.cluster, ecs.task-family, ecs.task-revision, ... */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "ecs.cluster", cluster);
        put(out, "ecs.task-family", family);
        put(out, "ecs.task-revision", revision);
        put(out, "ecs.task-arn", taskArn);
        put(out, "ecs.availability-zone", availabilityZone);
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MILLIS);
        c.setReadTimeout(TIMEOUT_MILLIS);
        try (InputStream in = c.getInputStream()) {
            if (c.getResponseCode() != 200) {
                throw new IOException(url + ": HTTP " + c.getResponseCode());
            }
            return new String(in.readNBytes(1 << 20), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /**
     * The string and number members of the top-level object; with {@code labels}, its Labels object too; with
     * {@code addresses}, every {@code IPv4Addresses} entry at any depth (the task's networks, in order).
     */
    private static Map<String, String> topLevel(String json, Map<String, String> labels, Set<String> addresses)
            throws IOException {
        Map<String, String> out = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a task metadata document (expected a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT && labels != null && name.equals("Labels")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        if (p.nextToken().isScalarValue()) {
                            labels.put(key, p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if (value.isScalarValue()) {
                    out.put(name, p.getText());
                } else if (addresses != null) {
                    collectAddresses(p, addresses);
                } else {
                    p.skipChildren();
                }
            }
        }
        return out;
    }

    /** Walks the object or array the parser is at, adding the strings of every IPv4Addresses array in it. */
    private static void collectAddresses(JsonParser p, Set<String> addresses) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("truncated task metadata document");
            }
            if (t.isStructStart()) {
                depth++;
                if (t == JsonToken.START_ARRAY && "IPv4Addresses".equals(p.currentName())) {
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        if (e == null) {
                            throw new IOException("truncated task metadata document");
                        }
                        if (e == JsonToken.VALUE_STRING) {
                            addresses.add(p.getText());
                        } else {
                            p.skipChildren();
                        }
                    }
                    depth--;
                }
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : b == null ? "" : b;
    }
}
