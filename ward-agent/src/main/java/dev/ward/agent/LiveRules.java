package dev.ward.agent;

import dev.ward.policy.PolicySet;

/**
 * What the Guard decides with, swapped as one: the compiled policies and the inode index of the paths
 * they name. Immutable.
 */
record LiveRules(PolicySet set, InodeIndex inodes) {
    static LiveRules of(PolicySet set, java.io.PrintStream diagnostics) {
        return new LiveRules(set, InodeIndex.build(set.targets(), diagnostics));
    }
}
