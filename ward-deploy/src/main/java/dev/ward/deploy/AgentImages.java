package dev.ward.deploy;

import dev.ward.registry.ContainersStorage;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.RegistryException;
import java.util.List;

/**
 * Which agent image a protected task pulls. Ward publishes no agent image (yet): every user builds their own
 * with {@code ward image build-agent}, so sidecar mode needs {@code --agent-image}; a reference by tag is pinned to
 * its digest where the registry gives it, and pointed out where not, since ECS resolves a tag again at every task
 * start.
 */
final class AgentImages {
    static final String BUILD = "ward image build-agent --to REGISTRY/ward-agent:TAG";

    private AgentImages() {
    }

    /** The error when sidecar mode is asked for without --agent-image. */
    static String required() {
        return "--agent-image is required in sidecar mode: Ward publishes no agent image, so the default name would "
                + "not pull; build and push one with '" + BUILD + "' and pass --agent-image REGISTRY/ward-agent@sha256:... "
                + "(the digest it prints), or use --mode embedded";
    }

    /**
     * The agent image pinned to the digest its registry gives now ({@code REPOSITORY@sha256:...}), so that every task
     * start runs the image inject saw; as given, with a note, when it is pinned already, local or unreadable.
     */
    static String pinned(String image, ImageConfigSource source, List<String> notes) {
        if (image.contains("@sha256:")) {
            return image;
        }
        if (ContainersStorage.local(image)) {
            notes.add(notPinned(image) + " (a local image: only this machine can run it)");
            return image;
        }
        try {
            String digest = source.config(image, Platform.LINUX_AMD64).digest();
            if (digest == null || !digest.startsWith("sha256:")) {
                notes.add(notPinned(image) + " (its registry gave no digest)");
                return image;
            }
            String pinned = repository(image) + "@" + digest;
            notes.add("the agent image " + image + " is pinned to the digest its registry has now: " + pinned);
            return pinned;
        } catch (RegistryException e) {
            notes.add(notPinned(image) + " (its digest could not be read: " + e.getMessage() + ")");
            return image;
        }
    }

    /** {@code registry/repo:tag} without its tag. */
    static String repository(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    /** The note for an agent image given by tag. */
    static String notPinned(String image) {
        return "the agent image " + image + " is a tag, not a digest: every task start pulls whatever it names then; "
                + "pin it as REPOSITORY@sha256:... (ward image build-agent prints the digest)";
    }
}
