package dev.ward.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed image reference: {@code [REGISTRY/]REPOSITORY[:TAG][@DIGEST]}, with Docker's defaults
 * (Docker Hub, {@code library/} for one-segment names, tag {@code latest}).
 *
 * <pre>{@code
 * ImageReference r = ImageReference.parse("nginx");
 * r.registry();   // "registry-1.docker.io"
 * r.repository(); // "library/nginx"
 * r.reference();  // "latest"
 * }</pre>
 *
 * @param registry   the host (and port) of the registry API, e.g. {@code registry-1.docker.io}, {@code 127.0.0.1:5000}
 * @param repository the repository path, e.g. {@code library/nginx}
 * @param tag        the tag, null when only a digest is given
 * @param digest     {@code sha256:HEX}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    /** The host Docker Hub's API is served from. */
    public static final String DOCKER_HUB = "registry-1.docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    /**
     * Parses a reference as {@code docker pull} does.
     *
     * @throws IllegalArgumentException naming the reference and what is wrong with it
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        if (!text.equals(text.strip()) || text.chars().anyMatch(Character::isWhitespace)) {
            throw bad(text, "contains whitespace");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw bad(text, "digest '" + digest + "' is not sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(text, "tag '" + tag + "' is not valid (letters, digits, _ . -, at most 128, not starting with . or -)");
            }
        }
        String registry = "docker.io";
        String path = rest;
        int first = rest.indexOf('/');
        if (first >= 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost") || head.startsWith("[")) {
                registry = head;
                path = rest.substring(first + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw bad(text, "registry '" + registry + "' is not a host[:port]");
                }
            }
        }
        if (path.isEmpty()) {
            throw bad(text, "no repository name");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                String why = !component.equals(component.toLowerCase(Locale.ROOT))
                        ? "must be lowercase"
                        : "must be lowercase letters and digits separated by '.', '_', '__' or '-'";
                throw bad(text, "repository component '" + component + "' " + why);
            }
        }
        if (path.length() > 255) {
            throw bad(text, "repository name longer than 255 characters");
        }
        String host = registry.toLowerCase(Locale.ROOT);
        if (host.equals("docker.io") || host.equals("index.docker.io") || host.equals(DOCKER_HUB)) {
            registry = DOCKER_HUB;
            if (!path.contains("/")) {
                path = "library/" + path;
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("image reference '" + text + "': " + why
                + " (expected [REGISTRY[:PORT]/]NAME[:TAG][@sha256:DIGEST])");
    }

    /** What to ask the registry for: the digest when pinned, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The host name without the port. */
    public String hostName() {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int c = registry.lastIndexOf(':');
        return c < 0 ? registry : registry.substring(0, c);
    }

    /** True for Docker Hub. */
    public boolean isDockerHub() {
        return registry.equals(DOCKER_HUB);
    }

    /** The fully qualified form, e.g. {@code registry-1.docker.io/library/nginx:latest}. */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
