package dev.ward.deploy;

import dev.ward.taskdef.Detector;
import java.util.Locale;

/** The kinds of document ward inject rewrites, told apart by their content (or named with --format). */
public enum Format {
    ECS("ecs"), CLOUDFORMATION("cloudformation"), KUBERNETES("kubernetes");

    final String flag;

    Format(String flag) {
        this.flag = flag;
    }

    /** {@code ecs}, {@code cloudformation} (or {@code cfn}), {@code kubernetes} (or {@code k8s}). */
    static Format parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ecs" -> ECS;
            case "cloudformation", "cfn" -> CLOUDFORMATION;
            case "kubernetes", "k8s" -> KUBERNETES;
            default -> throw new IllegalArgumentException("--format must be ecs, cloudformation or kubernetes, got '" + s + "'");
        };
    }

    /** The format ward-taskdef's {@link Detector#guess} recognises in the text, or null. */
    static Format detect(String text) {
        return Detector.guess(text).map(kind -> switch (kind) {
            case CLOUDFORMATION -> CLOUDFORMATION;
            case KUBERNETES -> KUBERNETES;
            default -> ECS;
        }).orElse(null);
    }
}
