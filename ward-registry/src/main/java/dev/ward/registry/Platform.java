package dev.ward.registry;

import java.util.Objects;

/**
 * An OCI platform ({@code os/architecture[/variant]}), used to pick one manifest out of an index.
 *
 * @param os           e.g. {@code linux}
 * @param architecture OCI/Go names: {@code amd64}, {@code arm64}
 * @param variant      e.g. {@code v8}, or null
 */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", null);

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** Parses {@code linux/amd64}, {@code linux/arm64/v8}; also ECS's {@code X86_64} and {@code ARM64}. */
    public static Platform parse(String text) {
        String t = text.trim();
        switch (t.toUpperCase(java.util.Locale.ROOT)) {
            case "X86_64", "AMD64" -> { return LINUX_AMD64; }
            case "ARM64", "AARCH64" -> { return LINUX_ARM64; }
            default -> { }
        }
        String[] p = t.split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
            throw new IllegalArgumentException("platform '" + text + "': expected OS/ARCH[/VARIANT], e.g. linux/amd64");
        }
        return new Platform(p[0], p[1], p.length == 3 ? p[2] : null);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
