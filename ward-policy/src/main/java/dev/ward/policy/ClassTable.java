package dev.ward.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Network or capability rules of one scope, indexed by a small class number (a {@link NetworkClass} or a
 * capability number, below 64). A request is a bit set of classes; every rule of every set class is offered at
 * the same score, so within a scope a Block beats an Allow. Immutable after {@link Builder#build}.
 */
final class ClassTable {
    static final ClassTable EMPTY = new Builder().build();

    private final RuleEntry[][] byClass;
    private final long present;

    private ClassTable(RuleEntry[][] byClass, long present) {
        this.byClass = byClass;
        this.present = present;
    }

    void lookup(long classes, Scratch s) {
        long hit = classes & present;
        while (hit != 0) {
            int c = Long.numberOfTrailingZeros(hit);
            hit &= hit - 1;
            s.offerAll(byClass[c], 0);
        }
    }

    static final class Builder {
        // Lists are created on first use: a set with thousands of fromSource scopes has one builder per scope.
        private final List<List<RuleEntry>> rules = new ArrayList<>(java.util.Collections.nCopies(64, null));

        Builder add(int cls, RuleEntry e) {
            if (rules.get(cls) == null) {
                rules.set(cls, new ArrayList<>());
            }
            rules.get(cls).add(e);
            return this;
        }

        ClassTable build() {
            RuleEntry[][] by = new RuleEntry[64][];
            long present = 0;
            for (int i = 0; i < 64; i++) {
                by[i] = rules.get(i) == null ? RuleEntry.NONE : rules.get(i).toArray(RuleEntry.NONE);
                if (by[i].length > 0) {
                    present |= 1L << i;
                }
            }
            return new ClassTable(by, present);
        }
    }
}
