package dev.ward.relay;

import java.net.URI;
import java.time.Duration;

/**
 * Where the relay forwards the alerts its agents send ({@link AlertForwarder}), and how hard it tries.
 *
 * @param falcosidekick falcosidekick's address (POSTs of Falco's JSON alert), or null
 * @param webhook       any HTTP endpoint (POSTs of the KubeArmor JSON alert, as the agent writes it), or null
 * @param queueSize     alerts held per destination before new ones are dropped and counted
 * @param attempts      tries per alert before it is given up and counted as failed
 * @param firstBackoff  the wait after the first failed try; it doubles after each failure
 * @param maxBackoff    the longest wait between two tries
 */
public record AlertForwarding(URI falcosidekick, URI webhook, int queueSize, int attempts, Duration firstBackoff,
        Duration maxBackoff) {
    public static final int DEFAULT_QUEUE = 10_000;

    public AlertForwarding {
        check(falcosidekick, "--falcosidekick-url");
        check(webhook, "--alert-webhook");
        if (queueSize < 1) {
            throw new IllegalArgumentException("--forward-queue must be at least 1, got " + queueSize);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("forwarding needs at least one attempt per alert, got " + attempts);
        }
    }

    /** No forwarding. */
    public static AlertForwarding none() {
        return of(null, null, DEFAULT_QUEUE);
    }

    /** Forwarding to these destinations (null: not that one) with 6 tries, 0.5 s doubling up to 30 s between them. */
    public static AlertForwarding of(URI falcosidekick, URI webhook, int queueSize) {
        return new AlertForwarding(falcosidekick, webhook, queueSize, 6, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** {@code url} without its path and query, which may hold a secret (a Slack webhook's token): for logs. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    boolean enabled() {
        return falcosidekick != null || webhook != null;
    }

    private static void check(URI url, String option) {
        if (url != null && (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null)) {
            throw new IllegalArgumentException(option + " " + url + ": expected an http:// or https:// URL with a host "
                    + "(e.g. http://falcosidekick:2801/)");
        }
    }
}
