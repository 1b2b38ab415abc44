package dev.ward.policy.istio;

/**
 * A rule ready for evaluation: {@code from} and {@code to} as OR-of-AND groups of {@link Check}s (no group means no
 * constraint), {@code when} as one AND group.
 *
 * <p>Traffic that was not parsed as HTTP ({@code http == null}) fails safe as ztunnel does (istio.io
 * {@code docs/ambient/usage/l7-features}, and mesh-notes section 1): an ALLOW (or AUDIT) rule with an L7 field never
 * matches it, and a DENY rule with L7 fields matches it on its L4 fields alone. Egress rules treat a host or a
 * process that is not known the same way: an ALLOW rule naming one never matches, a DENY rule matches on the rest.
 */
final class CompiledRule {
    private final Check[][] from;
    private final Check[][] to;
    private final Check[] when;
    private final boolean hasL7;
    private final boolean namesHost;
    private final boolean namesProcess;

    CompiledRule(Check[][] from, Check[][] to, Check[] when, boolean hasL7) {
        this.from = from;
        this.to = to;
        this.when = when;
        this.hasL7 = hasL7;
        this.namesHost = uses(to, Check.Host.class) || uses(new Check[][] {when}, Check.Host.class);
        this.namesProcess = uses(new Check[][] {when}, Check.Process.class);
    }

    boolean hasL7() {
        return hasL7;
    }

    boolean namesHost() {
        return namesHost;
    }

    boolean matches(Connection c, HttpRequest http, boolean deny) {
        boolean hostUnknown = c.host == null && namesHost;
        if (hostUnknown && c.anyHost && deny) {
            return false; // the best case: a name no DENY rule has
        }
        if (!deny && (http == null && hasL7 || hostUnknown && !c.anyHost || c.process == null && namesProcess)) {
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
            if (!ch.known(c, http)) {
                continue;
            }
            if (!ch.test(c, http)) {
                return false;
            }
        }
        return true;
    }

    private static boolean uses(Check[][] groups, Class<? extends Check> kind) {
        for (Check[] g : groups) {
            for (Check ch : g) {
                if (kind.isInstance(ch)) {
                    return true;
                }
            }
        }
        return false;
    }
}
