package dev.ward.check.config;

import java.util.List;

/**
 * The contents of .ward-check.yaml:
 *
 * <pre>
 * trustedRegistries:            # replaces the default (private Amazon ECR registries)
 *   - 123456789012.dkr.ecr.*.amazonaws.com
 *   - ghcr.io/my-org
 * suppressions:
 *   - rule: WARD-ECS-013
 *     path: "deploy/batch/**"   # glob on the file path or on the JSON path; optional
 *     reason: batch jobs have no endpoint to probe
 * </pre>
 */
public record CheckConfig(List<String> trustedRegistries, List<Suppression> suppressions) {
    public CheckConfig {
        trustedRegistries = List.copyOf(trustedRegistries);
        suppressions = List.copyOf(suppressions);
    }

    public static CheckConfig empty() {
        return new CheckConfig(List.of(), List.of());
    }
}
