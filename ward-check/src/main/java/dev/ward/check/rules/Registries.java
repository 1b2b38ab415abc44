package dev.ward.check.rules;

import java.util.List;

/**
 * Trusted-registry patterns. A pattern is a {@link Glob} over a registry host ({@code ghcr.io},
 * {@code 123456789012.dkr.ecr.*.amazonaws.com}) or over a registry and a repository prefix
 * ({@code ghcr.io/my-org}, {@code docker.io/library/*}); it trusts an image when it matches the image's
 * registry or the registry followed by the first one or more parts of the repository.
 */
public final class Registries {
    /** Private Amazon ECR registries of any account and region (including China and FIPS endpoints). */
    public static final List<String> DEFAULT_TRUSTED = List.of(
            "*.dkr.ecr.*.amazonaws.com",
            "*.dkr.ecr-fips.*.amazonaws.com",
            "*.dkr.ecr.*.amazonaws.com.cn");

    private Registries() {
    }

    public static boolean trusted(ImageRef image, List<String> patterns) {
        for (String p : patterns) {
            Glob g = Glob.of(stripSlash(p));
            if (g.matches(image.registry())) {
                return true;
            }
            String prefix = image.registry();
            for (String part : image.repository().split("/")) {
                prefix = prefix + "/" + part;
                if (g.matches(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String stripSlash(String p) {
        String s = p.trim();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
