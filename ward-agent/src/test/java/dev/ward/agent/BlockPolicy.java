package dev.ward.agent;

import dev.ward.policy.testing.PolicyYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The policy the bypass and hardening scenarios defend: Block one file and /usr/bin/id, for container "app". */
final class BlockPolicy {
    private BlockPolicy() {
    }

    /** Writes it to {@code file}, protecting {@code secret} (by its real path). */
    static Path write(Path file, Path secret) throws IOException {
        return Files.writeString(file, PolicyYaml.named("protect-secret").container("app").spec("""
                file:
                  matchPaths:
                  - path: %s
                process:
                  matchPaths:
                  - path: /usr/bin/id
                action: Block
                """.formatted(secret.toRealPath())));
    }
}
