package dev.ward.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads manifests, indexes and image configurations; picks a platform out of an index. */
final class Manifests {
    static final String DOCKER_MANIFEST = MediaTypes.DOCKER_MANIFEST;
    static final String DOCKER_LIST = MediaTypes.DOCKER_LIST;
    static final String OCI_MANIFEST = MediaTypes.OCI_MANIFEST;
    static final String OCI_INDEX = MediaTypes.OCI_INDEX;
    /** The Accept header of a manifest request: every kind we can read. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> CONFIG_TYPES = Set.of(MediaTypes.DOCKER_CONFIG, MediaTypes.OCI_CONFIG);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A manifest or index as fetched: its bytes' digest, media type and JSON. */
    record Fetched(String digest, String mediaType, JsonNode json) {
        boolean isIndex() {
            return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST);
        }
    }

    /** A descriptor of a platform manifest in an index. */
    record Entry(String digest, String mediaType, Platform platform) { }


    private Manifests() {
    }

    /** Parses a manifest response; the media type comes from Content-Type, else the body. */
    static Fetched parse(String image, String digest, String contentType, byte[] body) throws RegistryException {
        JsonNode json = readJson(image, "manifest " + digest, body);
        String type = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!Set.of(DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX).contains(type)) {
            String declared = json.path("mediaType").asText("");
            if (!declared.isEmpty()) {
                type = declared;
            } else if (json.has("manifests")) {
                type = OCI_INDEX;
            } else if (json.has("config") && json.has("layers")) {
                type = OCI_MANIFEST;
            }
        }
        if (type.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw new RegistryException(image + ": the registry serves a Docker schema 1 manifest, which Ward does not read;"
                    + " push the image again with a current client");
        }
        if (!Set.of(DOCKER_MANIFEST, DOCKER_LIST, OCI_MANIFEST, OCI_INDEX).contains(type)) {
            throw new RegistryException(image + ": unexpected manifest media type '" + type + "'");
        }
        return new Fetched(digest, type, json);
    }

    /** Picks {@code wanted}'s manifest from an index; the error lists the platforms there are. */
    static Entry select(String image, Fetched index, Platform wanted) throws RegistryException {
        List<Entry> entries = entries(index);
        Entry best = null;
        int bestScore = 0;
        for (Entry e : entries) {
            int score = match(wanted, e.platform());
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        if (best == null) {
            Set<String> available = new LinkedHashSet<>();
            for (Entry e : entries) {
                if (!e.platform().os().equals("unknown")) {
                    available.add(e.platform().toString());
                }
            }
            throw new PlatformMismatchException(image + ": no manifest for platform " + wanted + "; the image has "
                    + (available.isEmpty() ? "no platform manifests" : String.join(", ", available)));
        }
        return best;
    }

    /** The platform manifests an index lists (entries without a platform are left out). */
    static List<Entry> entries(Fetched index) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode m : index.json().path("manifests")) {
            JsonNode p = m.get("platform");
            String digest = m.path("digest").asText(null);
            if (p == null || digest == null || p.path("os").asText("").isEmpty()
                    || p.path("architecture").asText("").isEmpty()) {
                continue;
            }
            String variant = p.path("variant").asText(null);
            entries.add(new Entry(digest, m.path("mediaType").asText(""),
                    new Platform(p.get("os").asText(), p.get("architecture").asText(), variant)));
        }
        return entries;
    }

    /**
     * 0 when {@code have} cannot run as {@code want}; higher is better. arm64 without a variant means v8;
     * when no variant is asked for, an entry without one wins over one with a variant.
     */
    static int match(Platform want, Platform have) {
        if (!want.os().equalsIgnoreCase(have.os())) {
            return 0;
        }
        String arch = arch(want.architecture());
        if (!arch.equals(arch(have.architecture()))) {
            return 0;
        }
        String wantVariant = variant(arch, want.variant());
        String haveVariant = variant(arch, have.variant());
        if (wantVariant != null) {
            return wantVariant.equalsIgnoreCase(haveVariant == null ? "" : haveVariant) ? 3 : 0;
        }
        return haveVariant == null ? 2 : 1;
    }

    private static String arch(String a) {
        return switch (a.toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a.toLowerCase(Locale.ROOT);
        };
    }

    private static String variant(String arch, String v) {
        if (arch.equals("arm64") && (v == null || v.isEmpty())) {
            return "v8";
        }
        return v == null || v.isEmpty() ? null : v;
    }

    /** The config descriptor of a platform manifest; refuses artifacts that are not container images. */
    static Descriptor config(String image, Fetched manifest) throws RegistryException {
        JsonNode c = manifest.json().get("config");
        String digest = c == null ? null : c.path("digest").asText(null);
        if (digest == null) {
            throw new RegistryException(image + ": manifest " + manifest.digest() + " has no config descriptor");
        }
        String type = c.path("mediaType").asText("");
        if (!type.isEmpty() && !CONFIG_TYPES.contains(type)) {
            throw new RegistryException(image + ": not a container image (config media type '" + type + "')");
        }
        return new Descriptor(type.isEmpty() ? (manifest.mediaType().equals(OCI_MANIFEST) ? MediaTypes.OCI_CONFIG
                : MediaTypes.DOCKER_CONFIG) : type, digest, c.path("size").asLong(-1));
    }

    /** The layer descriptors of a platform manifest, bottom first. */
    static List<Descriptor> layers(String image, Fetched manifest) throws RegistryException {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode l : manifest.json().path("layers")) {
            String digest = l.path("digest").asText("");
            String type = l.path("mediaType").asText("");
            long size = l.path("size").asLong(-1);
            if (digest.isEmpty() || type.isEmpty() || size < 0) {
                throw new RegistryException(image + ": manifest " + manifest.digest() + " has a layer without digest,"
                        + " media type or size: " + l);
            }
            out.add(new Descriptor(type, digest, size));
        }
        return out;
    }

    /**
     * The image configuration. A single-platform image (no index) must be of the wanted platform, as a
     * container runtime would refuse it otherwise.
     */
    static ImageConfig imageConfig(String image, String manifestDigest, byte[] body, Platform wanted, Entry fromIndex)
            throws RegistryException {
        JsonNode root = readJson(image, "config of " + manifestDigest, body);
        Platform platform;
        if (fromIndex != null) {
            platform = fromIndex.platform();
        } else if (declared(root) == null) {
            platform = wanted;
        } else {
            platform = declared(root);
            if (match(wanted, platform) == 0) {
                throw new PlatformMismatchException(image + ": no manifest for platform " + wanted + "; the image has only "
                        + platform);
            }
        }
        JsonNode c = root.path("config");
        return new ImageConfig(image, manifestDigest, platform, strings(c.get("Entrypoint")), strings(c.get("Cmd")),
                text(c.get("User")), text(c.get("WorkingDir")), strings(c.get("Env")), keys(c.get("Volumes")),
                labels(c.get("Labels")), text(c.get("StopSignal")));
    }

    /** The platform an image configuration declares (os, architecture, variant), or null when it names none. */
    static Platform declared(String image, String manifestDigest, byte[] body) throws RegistryException {
        return declared(readJson(image, "config of " + manifestDigest, body));
    }

    private static Platform declared(JsonNode config) {
        String os = config.path("os").asText("");
        String architecture = config.path("architecture").asText("");
        return os.isEmpty() || architecture.isEmpty() ? null
                : new Platform(os, architecture, config.path("variant").asText(null));
    }

    private static JsonNode readJson(String image, String what, byte[] body) throws RegistryException {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new RegistryException(image + ": " + what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new RegistryException(image + ": " + what + " is not valid JSON", e);
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        if (n != null && n.isObject()) {
            n.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
