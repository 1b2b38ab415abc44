package dev.ward.deploy;

/**
 * Which agent image a protected task pulls. Ward publishes no agent image (yet): every user builds their own
 * with {@code ward image build-agent}, so sidecar mode needs {@code --agent-image}, and a reference by tag is
 * pointed out, since ECS resolves the tag again at every task start.
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

    /** The note for an agent image given by tag. */
    static String notPinned(String image) {
        return "the agent image " + image + " is a tag, not a digest: every task start pulls whatever it names then; "
                + "pin it as REPOSITORY@sha256:... (ward image build-agent prints the digest)";
    }
}
