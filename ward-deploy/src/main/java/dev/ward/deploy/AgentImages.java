package dev.ward.deploy;

import dev.ward.registry.ContainersStorage;
import dev.ward.registry.ImageConfig;
import dev.ward.registry.ImageConfigSource;
import dev.ward.registry.Platform;
import dev.ward.registry.PlatformMismatchException;
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
     * The agent image for a task on {@code platform}, pinned to the digest its registry gives now ({@code
     * REPOSITORY@sha256:...}: the platform's manifest), so that every task start runs the image inject saw; as given,
     * with a note, when it is local or unreadable. Refused when its registry says it has no image for {@code
     * platform} (a single-platform image of the other architecture, or an index without it): the task could not
     * start its agent. A multi-platform index serves every platform it lists.
     */
    static String pinned(String image, ImageConfigSource source, Platform platform, List<String> notes)
            throws InjectException {
        if (ContainersStorage.local(image)) {
            notes.add(notPinned(image) + " (a local image: only this machine can run it)");
            return image;
        }
        try {
            ImageConfig config = source.config(image, platform);
            String digest = config == null ? null : config.digest();
            if (image.contains("@sha256:")) {
                return image; // pinned already (to an index or to the platform's image), and of the right platform
            }
            if (digest == null || !digest.startsWith("sha256:")) {
                notes.add(notPinned(image) + " (its registry gave no digest)");
                return image;
            }
            String pinned = repository(image) + "@" + digest;
            notes.add("the agent image " + image + " is pinned to the digest its registry has now: " + pinned);
            return pinned;
        } catch (PlatformMismatchException e) {
            throw mismatch(image, platform, e);
        } catch (RegistryException e) {
            if (e.getCause() instanceof PlatformMismatchException m) {
                throw mismatch(image, platform, m);
            }
            if (!image.contains("@sha256:")) {
                notes.add(notPinned(image) + " (its digest could not be read: " + e.getMessage() + ")");
            }
            return image;
        }
    }

    private static InjectException mismatch(String image, Platform platform, PlatformMismatchException e) {
        return InjectException.refused("--agent-image " + image + ": the task runs on " + platform + " but " + e.getMessage()
                + ": push an agent image for both with 'ward image build-agent --platform linux/amd64,linux/arm64 --to "
                + "REGISTRY/ward-agent:TAG' (see docs/bundle.md), or give the task's runtimePlatform.cpuArchitecture the"
                + " image's");
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
