package dev.ward.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What happens to an operation no rule matched, once an Allow rule has turned that kind of operation into an
 * allow-list. As in KubeArmor, there is one posture per resource and process executions follow the file posture.
 *
 * <p>Environment variables read by {@link #fromEnv}, values {@code block} (or {@code deny}), {@code audit} or
 * {@code allow}, case-insensitive:
 * <ul>
 *   <li>{@value #ENV_ALL}: all three at once;</li>
 *   <li>{@value #ENV_FILE}, {@value #ENV_NETWORK}, {@value #ENV_CAPABILITIES}: one each, overriding the above.</li>
 * </ul>
 * Unset means {@code audit}, KubeArmor's default.
 */
public record Posture(Action file, Action network, Action capabilities) {
    public static final String ENV_ALL = "WARD_DEFAULT_POSTURE";
    public static final String ENV_FILE = "WARD_DEFAULT_FILE_POSTURE";
    public static final String ENV_NETWORK = "WARD_DEFAULT_NETWORK_POSTURE";
    public static final String ENV_CAPABILITIES = "WARD_DEFAULT_CAPABILITIES_POSTURE";

    public Posture {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(capabilities, "capabilities");
    }

    /** Audit, audit, audit: KubeArmor's global default. */
    public static Posture defaults() {
        return new Posture(Action.AUDIT, Action.AUDIT, Action.AUDIT);
    }

    /**
     * Reads the posture from environment variables (see the class comment).
     *
     * @throws IllegalArgumentException naming the variable and the accepted values when a value is not one of them
     */
    public static Posture fromEnv(Map<String, String> env) {
        Action all = read(env, ENV_ALL, Action.AUDIT);
        return new Posture(read(env, ENV_FILE, all), read(env, ENV_NETWORK, all), read(env, ENV_CAPABILITIES, all));
    }

    /** Parses one posture value: block, deny, audit or allow (any case); null when it is none of them. */
    public static Action parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "block", "deny" -> Action.BLOCK;
            case "audit" -> Action.AUDIT;
            case "allow" -> Action.ALLOW;
            default -> null;
        };
    }

    /** The posture for one kind of operation; processes follow the file posture, syscalls have none. */
    public Action of(Operation op) {
        return switch (op) {
            case PROCESS, FILE -> file;
            case NETWORK -> network;
            case CAPABILITIES -> capabilities;
            case SYSCALL -> Action.ALLOW;
        };
    }

    private static Action read(Map<String, String> env, String name, Action fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        Action a = parse(v);
        if (a == null) {
            throw new IllegalArgumentException(name + "=" + v + " is not a posture (expected block, audit or allow)");
        }
        return a;
    }
}
