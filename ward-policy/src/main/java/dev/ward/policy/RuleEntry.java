package dev.ward.policy;

import dev.ward.policy.match.Glob;

/**
 * One compiled rule as the indexes hold it: its action, its conditions and the results it returns, allocated once.
 *
 * @param violation for Allow rules with ownerOnly/readOnly: the Block result of a violated condition; else null
 * @param glob      for matchPatterns: the compiled pattern; else null
 */
record RuleEntry(Action action, boolean ownerOnly, boolean readOnly, Match match, Match violation, Glob glob) {
    static final RuleEntry[] NONE = new RuleEntry[0];
}
