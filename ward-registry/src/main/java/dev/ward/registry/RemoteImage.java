package dev.ward.registry;

import java.util.List;

/**
 * One platform's image in a registry, as building on top of it needs it: the manifest's media type, the
 * configuration (descriptor and exact bytes) and the layers. Read with {@link RegistryClient#image}.
 *
 * @param image      the reference it was read by
 * @param digest     the platform manifest's digest
 * @param mediaType  the platform manifest's media type ({@link MediaTypes#OCI_MANIFEST} or
 *                   {@link MediaTypes#DOCKER_MANIFEST})
 * @param platform   the platform it is for
 * @param config     the configuration's descriptor
 * @param configJson the configuration's bytes, verified against {@code config}'s digest
 * @param layers     the layers, bottom first
 */
public record RemoteImage(String image, String digest, String mediaType, Platform platform, Descriptor config,
                          byte[] configJson, List<Descriptor> layers) {
    public RemoteImage {
        layers = List.copyOf(layers);
    }

    /** True for an OCI manifest, false for Docker v2 schema 2. */
    public boolean isOci() {
        return mediaType.equals(MediaTypes.OCI_MANIFEST);
    }
}
