package dev.ward.taskdef;

import java.util.List;

/**
 * What one file turned out to be.
 */
public sealed interface Input {
    /** A recognised file and the resources it holds (possibly none, e.g. a template without ECS resources). */
    record Recognised(InputKind kind, List<Resource> resources) implements Input {
        public Recognised {
            resources = List.copyOf(resources);
        }
    }

    /** A file that is none of the inputs ward check reads, and why. */
    record NotRecognised(String reason) implements Input {
    }
}
