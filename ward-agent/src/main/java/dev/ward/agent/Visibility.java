package dev.ward.agent;

import dev.ward.capture.Family;
import java.util.Locale;

/**
 * Which operations the system logs cover (KubeArmor's visibility setting: {@code process,file,network,
 * capabilities}, or {@code none}). Alerts are not affected: a rule that matches always reports. Narrowing
 * it matters for cost too: an operation no log and no rule needs is let through without being decoded.
 */
public record Visibility(boolean process, boolean file, boolean network, boolean capabilities) {
    public static final Visibility ALL = new Visibility(true, true, true, true);

    /**
     * Parses a comma-separated list of process, file, network, capabilities; {@code none} for nothing,
     * {@code all} for everything.
     *
     * @throws IllegalArgumentException naming the unknown word and the accepted ones
     */
    public static Visibility parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        boolean p = false;
        boolean f = false;
        boolean n = false;
        boolean c = false;
        if (!t.equals("none")) {
            for (String word : t.split(",")) {
                switch (word.strip()) {
                    case "process" -> p = true;
                    case "file" -> f = true;
                    case "network" -> n = true;
                    case "capabilities" -> c = true;
                    default -> throw new IllegalArgumentException("--visibility: unknown operation '" + word.strip()
                            + "': expected a comma-separated list of process, file, network, capabilities, or none");
                }
            }
        }
        return new Visibility(p, f, n, c);
    }

    /** Whether system logs cover this family of trapped syscalls. */
    boolean covers(Family family) {
        return switch (family) {
            case EXEC -> process;
            case OPEN, FILE_MODIFY -> file;
            case NETWORK -> network;
            case PRIVILEGED -> capabilities;
            case TAKEOVER -> true;
        };
    }
}
