package dev.ward.registry;

/**
 * The image has no manifest for the platform asked for: an index without that platform, or a single-platform image
 * of another one. The registry answered; the image is wrong for the use (a container runtime would refuse it too).
 */
public final class PlatformMismatchException extends RegistryException {
    public PlatformMismatchException(String message) {
        super(message);
    }
}
