package dev.ward.image;

import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import java.util.List;

/**
 * Which platform of an application image {@code ward image embed} protects when none is asked for: a
 * single-platform image's own; of an index, linux/amd64 when it has it (as before arm64 was supported), else its
 * only platform Ward supports.
 */
final class EmbedPlatform {
    private EmbedPlatform() {
    }

    static Platform of(RegistryClient client, String image) throws RegistryException {
        List<Platform> platforms = client.platforms(image);
        if (platforms.isEmpty()) {
            return Platform.LINUX_AMD64; // a configuration that names no platform: what runtimes assume
        }
        if (platforms.size() == 1) {
            return platforms.getFirst();
        }
        List<Platform> supported = platforms.stream().filter(EmbedPlatform::supported).toList();
        if (supported.stream().anyMatch(p -> Arch.of(p) == Arch.X86_64)) {
            return Platform.LINUX_AMD64;
        }
        if (supported.isEmpty()) {
            throw new IllegalArgumentException(image + " is for " + platforms + ": Ward protects linux/amd64 and "
                    + "linux/arm64 images only");
        }
        return supported.getFirst();
    }

    private static boolean supported(Platform p) {
        try {
            Arch.of(p);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
