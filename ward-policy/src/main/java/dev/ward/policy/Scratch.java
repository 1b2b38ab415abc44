package dev.ward.policy;

import dev.ward.policy.match.Glob;
import java.nio.charset.StandardCharsets;

/**
 * Per-request working memory of a decision: the best enforcing candidate and the best audit candidate seen so far,
 * the matched source scopes and the glob state sets. Owned by one request object, hence by one thread; this is what
 * lets an immutable, shared {@link PolicySet} decide without allocating.
 *
 * <p>Candidates are ranked by a specificity score (see {@link PathTrie}); at equal scores a blocking outcome beats
 * a permitting one. Decisions run in two tiers, rules scoped to the caller's executable (fromSource) first: once a
 * tier produced a candidate of a kind, the next tier cannot replace it ({@link #endTier}).
 */
final class Scratch {
    // Conditions of the current request, copied in so index code does not depend on the request type.
    boolean write;
    int uid;
    int ownerUid;

    private boolean hasEnforcing;
    private boolean enforcingBlocks;
    private int enforcingScore;
    private Match enforcing;
    private boolean enforcingLocked;

    private boolean hasAudit;
    private int auditScore;
    private Match audit;
    private boolean auditLocked;

    int[] scopes = new int[16];
    final long[] glob = new long[Glob.MAX_SCRATCH];

    void reset(boolean write, int uid, int ownerUid) {
        this.write = write;
        this.uid = uid;
        this.ownerUid = ownerUid;
        hasEnforcing = false;
        enforcingBlocks = false;
        enforcingScore = -1;
        enforcing = null;
        enforcingLocked = false;
        hasAudit = false;
        auditScore = -1;
        audit = null;
        auditLocked = false;
    }

    /** Offers every rule of an array at one score. */
    void offerAll(RuleEntry[] rules, int score) {
        for (RuleEntry e : rules) {
            offer(e, score);
        }
    }

    /**
     * Applies one matching rule to the request. ownerOnly and readOnly are conditions: when the access satisfies
     * them the rule permits it, when it violates them the rule's action applies, and for an Allow rule a violation
     * blocks ("static action" in KubeArmor's words). Unknown uids count as a violation: fail closed.
     */
    void offer(RuleEntry e, int score) {
        boolean violated = (e.ownerOnly() && (uid < 0 || uid != ownerUid)) || (e.readOnly() && write);
        boolean conditional = e.ownerOnly() || e.readOnly();
        switch (e.action()) {
            case AUDIT -> {
                if ((!conditional || violated) && !auditLocked && score > auditScore) {
                    hasAudit = true;
                    auditScore = score;
                    audit = e.match();
                }
            }
            case BLOCK -> {
                boolean blocks = !conditional || violated;
                enforce(blocks ? e.match() : null, blocks, score);
            }
            case ALLOW -> enforce(violated ? e.violation() : e.match(), violated, score);
        }
    }

    private void enforce(Match m, boolean blocks, int score) {
        if (enforcingLocked) {
            return;
        }
        if (score > enforcingScore || (score == enforcingScore && blocks && !enforcingBlocks)) {
            hasEnforcing = true;
            enforcingBlocks = blocks;
            enforcingScore = score;
            enforcing = m;
        }
    }

    /** Ends the fromSource tier: what it found is final. */
    void endTier() {
        enforcingLocked = hasEnforcing;
        auditLocked = hasAudit;
    }

    /**
     * The answer. A block (by a rule, or by a blocking posture when nothing enforcing matched) wins over audit; an
     * audit rule is reported even when an Allow rule permits the access; an Allow match is returned as such (no
     * alert); an auditing posture covers the rest.
     *
     * @param posture the posture result when the operation is an allow-list, else null
     */
    Match decide(Match posture) {
        if (hasEnforcing && enforcingBlocks) {
            return enforcing;
        }
        if (!hasEnforcing && posture != null && posture.action() == Action.BLOCK) {
            return posture;
        }
        if (hasAudit) {
            return audit;
        }
        if (hasEnforcing) {
            return enforcing;
        }
        return posture;
    }

    int[] scopes(int needed) {
        if (scopes.length < needed) {
            // Only when a path is deeper than any seen before by this request: a one-off growth, not per decision.
            scopes = java.util.Arrays.copyOf(scopes, Math.max(needed, scopes.length * 2));
        }
        return scopes;
    }

    /** Copies a string's UTF-8 bytes into a request buffer, returning the length. */
    static int copy(String s, byte[] dst) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > dst.length) {
            throw new IllegalArgumentException("longer than " + dst.length + " bytes: " + s);
        }
        System.arraycopy(b, 0, dst, 0, b.length);
        return b.length;
    }
}
