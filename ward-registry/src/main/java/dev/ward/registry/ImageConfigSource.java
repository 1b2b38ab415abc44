package dev.ward.registry;

/** Where image configurations come from: a registry, or (in tests of callers) a fixed table. */
@FunctionalInterface
public interface ImageConfigSource {
    /**
     * The configuration of {@code image} for {@code platform}.
     *
     * @param image a reference such as {@code nginx:1.27}, {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:...}
     * @throws RegistryException with a message naming the image and what failed (not found, unauthorized,
     *                           no manifest for the platform, unreachable)
     */
    ImageConfig config(String image, Platform platform) throws RegistryException;
}
