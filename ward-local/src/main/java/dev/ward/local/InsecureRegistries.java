package dev.ward.local;

import java.util.List;
import java.util.Locale;

/**
 * Which images podman may pull over plain HTTP or unverified TLS ({@code --tls-verify=false}): those of a registry
 * on this machine's loopback ({@code localhost:5000}, {@code 127.0.0.1:5000}, {@code [::1]:5000}: the names
 * ward-registry treats so) and of the registries named with {@code --insecure-registry}. The same rule as ward-registry's (ward image and ward inject
 * read such registries over plain HTTP), so an image those commands pushed to a local registry also runs here;
 * podman itself verifies TLS for every registry that its registries.conf does not mark insecure.
 */
final class InsecureRegistries {
    private InsecureRegistries() {
    }

    /** Whether {@code image}'s registry is loopback or one of {@code named} (HOST or HOST:PORT). */
    static boolean insecure(String image, List<String> named) {
        String host = registry(image);
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        name = name.toLowerCase(Locale.ROOT);
        return named.contains(host) || named.contains(name) || name.equals("localhost") || name.equals("127.0.0.1")
                || name.equals("[::1]");
    }

    /** The registry part of a reference (its first component when that names a host), or null (Docker Hub). */
    static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[") ? first : null;
    }
}
