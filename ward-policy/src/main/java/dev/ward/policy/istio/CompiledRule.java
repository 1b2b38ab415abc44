package dev.ward.policy.istio;

/**
 * A rule ready for evaluation: {@code from} and {@code to} as OR-of-AND groups of {@link Check}s (no group means no
 * constraint), {@code when} as one AND group.
 *
 * <p>Traffic that was not parsed as HTTP ({@code http == null}) fails safe as ztunnel does (istio.io
 * {@code docs/ambient/usage/l7-features}, and mesh-notes section 1): an ALLOW (or AUDIT) rule with an L7 field never
 * matches it, and a DENY rule with L7 fields matches it on its L4 fields alone.
 */
final class CompiledRule {
    private final Check[][] from;
    private final Check[][] to;
    private final Check[] when;
    private final boolean hasL7;

    CompiledRule(Check[][] from, Check[][] to, Check[] when, boolean hasL7) {
        this.from = from;
        this.to = to;
        this.when = when;
        this.hasL7 = hasL7;
    }

    boolean hasL7() {
        return hasL7;
    }

    boolean matches(Connection c, HttpRequest http, boolean deny) {
        if (http == null && hasL7 && !deny) {
            return false;
        }
        return anyGroup(from, c, http) && anyGroup(to, c, http) && all(when, c, http);
    }

    private static boolean anyGroup(Check[][] groups, Connection c, HttpRequest http) {
        if (groups.length == 0) {
            return true;
        }
        for (Check[] g : groups) {
            if (all(g, c, http)) {
                return true;
            }
        }
        return false;
    }

    private static boolean all(Check[] checks, Connection c, HttpRequest http) {
        for (Check ch : checks) {
            if (http == null && ch.l7()) {
                continue;
            }
            if (!ch.test(c, http)) {
                return false;
            }
        }
        return true;
    }
}
