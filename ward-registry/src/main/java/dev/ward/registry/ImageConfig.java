package dev.ward.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container runtime takes from an image's configuration when a task definition does not say
 * otherwise (OCI image config {@code config} object).
 *
 * @param image          the reference as the user wrote it
 * @param digest         the digest of the platform manifest that was read ({@code sha256:...})
 * @param platform       the platform of that manifest
 * @param entrypoint     {@code Entrypoint}, empty when unset
 * @param cmd            {@code Cmd}, empty when unset
 * @param user           {@code User}, null when unset
 * @param workingDir     {@code WorkingDir}, null when unset
 * @param env            {@code Env} as {@code K=V} strings
 * @param volumes        {@code Volumes} keys
 * @param labels         {@code Labels}
 * @param stopSignal     {@code StopSignal} (as written: {@code SIGQUIT}, {@code 3}), null when unset
 */
public record ImageConfig(String image, String digest, Platform platform, List<String> entrypoint,
                          List<String> cmd, String user, String workingDir, List<String> env,
                          Set<String> volumes, Map<String, String> labels, String stopSignal) {
    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        volumes = Set.copyOf(volumes);
        labels = Map.copyOf(labels);
    }
}
