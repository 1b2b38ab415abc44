package dev.ward.policy;

import dev.ward.policy.testing.PolicyYaml;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: policies from text or test resources, compiled for a container. */
final class Policies {
    private Policies() {
    }

    static final Path RESOURCES = Path.of("src/test/resources/policies");

    static PolicySet compile(String yaml, String container) {
        return compile(yaml, container, Posture.defaults());
    }

    static PolicySet compile(String yaml, String container, Posture posture) {
        try {
            return PolicySet.compile(PolicyLoader.parse(yaml, "test.yaml"), ContainerIdentity.named(container),
                    posture);
        } catch (PolicyException e) {
            throw new AssertionError(e.format(), e);
        }
    }

    static PolicySet resource(String file, ContainerIdentity id, Posture posture) {
        try {
            return PolicySet.compile(PolicyLoader.load(List.of(RESOURCES.resolve(file))), id, posture);
        } catch (PolicyException e) {
            throw new AssertionError(e.format(), e);
        }
    }

    /** A policy for container "c" with the given spec body (indented two spaces, under spec:). */
    static String policy(String name, String specBody) {
        return PolicyYaml.named(name).container("c").spec(specBody);
    }

    static FileRequest file(String source, String path) {
        return new FileRequest().source(source).path(path);
    }

    static Action action(Match m) {
        return m == null ? null : m.action();
    }
}
