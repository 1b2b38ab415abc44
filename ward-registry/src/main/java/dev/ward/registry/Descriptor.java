package dev.ward.registry;

import java.util.Objects;

/**
 * What a manifest says of a blob (a configuration or a layer): its media type, digest and size.
 *
 * @param mediaType e.g. {@link MediaTypes#OCI_LAYER}
 * @param digest    {@code sha256:HEX}
 * @param size      bytes
 */
public record Descriptor(String mediaType, String digest, long size) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
    }
}
