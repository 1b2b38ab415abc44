package dev.ward.policy;

import java.nio.charset.StandardCharsets;

/**
 * A reusable question "may this process use this capability", owned by one thread. {@link #capability} is the
 * kernel number ({@link Capability#number()}); the source is the exe of the process that needs it.
 */
public final class CapabilityRequest {
    public int capability = -1;
    public final byte[] source = new byte[4096];
    public int sourceLength;

    final Scratch scratch = new Scratch();

    public CapabilityRequest capability(Capability c) {
        capability = c.number();
        return this;
    }

    /** Sets {@link #source} from a string (tests and tools; allocates). */
    public CapabilityRequest source(String s) {
        sourceLength = Scratch.copy(s, source);
        return this;
    }

    @Override
    public String toString() {
        Capability c = Capability.ofNumber(capability);
        return new String(source, 0, sourceLength, StandardCharsets.UTF_8) + " needs "
                + (c == null ? "capability " + capability : c.policyName());
    }
}
