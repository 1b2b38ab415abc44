package dev.ward.check.rules;

import java.util.Locale;

/**
 * A container image reference taken apart: {@code [registry/]repository[:tag][@digest]}. Without a
 * registry host (no '.' or ':' in the first part, and not localhost) the image is on Docker Hub, and a
 * one-part name is in its {@code library/} namespace, as docker reads it.
 *
 * @param tag    null when the reference has none (docker then pulls {@code latest})
 * @param digest null when the reference has none
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    public static ImageRef parse(String ref) {
        String name = ref.trim();
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        int slash = name.indexOf('/');
        String first = slash < 0 ? name : name.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            registry = first.toLowerCase(Locale.ROOT);
            name = name.substring(slash + 1);
        } else if (slash < 0) {
            name = "library/" + name;
        }
        return new ImageRef(registry, name, tag, digest);
    }

    /**
     * True for tags that follow a moving target: none at all, {@code latest}, and {@code latest-*} /
     * {@code *-latest} variants such as {@code latest-sidecar}.
     */
    public boolean floatingTag() {
        if (digest != null) {
            return false;
        }
        if (tag == null) {
            return true;
        }
        String t = tag.toLowerCase(Locale.ROOT);
        return t.equals("latest") || t.startsWith("latest-") || t.endsWith("-latest");
    }

    /** {@code registry/repository}, as trusted-registry patterns see it. */
    public String location() {
        return registry + "/" + repository;
    }
}
