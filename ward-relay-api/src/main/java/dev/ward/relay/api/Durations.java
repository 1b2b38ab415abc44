package dev.ward.relay.api;

import java.time.Duration;

/** Go-style durations (what KubeArmor users write): {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}. */
public final class Durations {
    private Durations() {
    }

    /** Null when {@code text} is not a duration. */
    public static Duration parse(String text) {
        String t = text.strip();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            return null;
        }
        long n = Long.parseLong(t.substring(0, i));
        return switch (t.substring(i)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> null;
        };
    }
}
