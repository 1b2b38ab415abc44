package dev.ward.deploy;

import dev.ward.registry.ContainersStorage;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryClient;
import dev.ward.registry.RegistryException;
import java.util.List;

/**
 * Where inject reads an image's ENTRYPOINT, CMD and USER: {@code localhost/...} images from this machine's
 * containers-storage (podman's), others from their registry, falling back to containers-storage when the registry
 * cannot answer (offline, no credentials) and the image was pulled or built here. A failure says every way forward.
 */
final class ImageSources implements ImageConfigSource {
    /** What to do when an image cannot be read, appended to the registry's reason. */
    static final String WAYS_FORWARD = "ways forward: give the command in the input (entryPoint and command in a task "
            + "definition, command in a manifest) so no image is read; pull or build the image with podman here "
            + "(inject reads containers-storage); credentials with --registry-auth HOST=USER:PASSWORD or podman login "
            + "HOST; --insecure-registry HOST for a plain-HTTP registry";

    private final ThrowingSupplier client;
    private final ContainersStorage local;
    private final Platform forced;
    private final List<String> notes;

    /** The registry client, made on first use (a task whose commands are all given reads no image). */
    @FunctionalInterface
    interface ThrowingSupplier {
        RegistryClient get() throws RegistryException;
    }

    /**
     * @param client the registry client (with the command's registry options)
     * @param local  this machine's containers-storage
     * @param forced --platform, or null for the task's own
     * @param notes  where a note goes when an image was read from containers-storage
     */
    ImageSources(ThrowingSupplier client, ContainersStorage local, Platform forced, List<String> notes) {
        this.client = client;
        this.local = local;
        this.forced = forced;
        this.notes = notes;
    }

    @Override
    public ImageConfig config(String image, Platform platform) throws RegistryException {
        Platform p = forced != null ? forced : platform;
        if (ContainersStorage.local(image)) {
            ImageConfig c = local.find(image, p);
            if (c == null) {
                throw new RegistryException(image + ": not in this machine's containers-storage ('podman images' lists "
                        + "what is); build it or pull it with podman, or give the command in the input so no image is read");
            }
            return c;
        }
        try {
            return client.get().config(image, p);
        } catch (RegistryException e) {
            ImageConfig c = local.find(image, p);
            if (c == null) {
                throw new RegistryException(e.getMessage() + "; " + WAYS_FORWARD, e);
            }
            notes.add(image + ": read from this machine's containers-storage, as its registry could not give it ("
                    + e.getMessage() + "); make sure the registry has the same image");
            // the local copy's digest need not be the registry's (a podman load, a local build): claim none
            return new ImageConfig(c.image(), null, c.platform(), c.entrypoint(), c.cmd(), c.user(), c.workingDir(),
                    c.env(), c.volumes(), c.labels(), c.stopSignal());
        }
    }
}
