package dev.ward.deploy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kinds of document ward inject rewrites, told apart by their content (or named with --format). */
public enum Format {
    ECS("ecs"), CLOUDFORMATION("cloudformation"), KUBERNETES("kubernetes");

    private static final Pattern TOP_KEY = Pattern.compile("(?m)^\"?([A-Za-z][A-Za-z0-9]*)\"?\\s*:");
    private static final Pattern JSON_KEY = Pattern.compile("\"(AWSTemplateFormatVersion|Resources|containerDefinitions"
            + "|taskDefinition|family|apiVersion|kind)\"\\s*:");

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

    /**
     * Guesses the format from the text, or returns null. JSON: a template has AWSTemplateFormatVersion or
     * Resources, a task definition containerDefinitions or taskDefinition, Kubernetes apiVersion and kind. YAML:
     * the same keys at the start of a line (top level).
     */
    static Format detect(String text) {
        boolean json = text.stripLeading().startsWith("{");
        boolean cfn = false;
        boolean ecs = false;
        boolean apiVersion = false;
        boolean kind = false;
        Matcher m = (json ? JSON_KEY : TOP_KEY).matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "AWSTemplateFormatVersion", "Resources" -> cfn = true;
                case "containerDefinitions", "taskDefinition" -> ecs = true;
                case "apiVersion" -> apiVersion = true;
                case "kind" -> kind = true;
                default -> { }
            }
        }
        if (cfn) {
            return CLOUDFORMATION;
        }
        if (json && ecs) {
            return ECS;
        }
        if (apiVersion && kind) {
            return KUBERNETES;
        }
        return null;
    }
}
