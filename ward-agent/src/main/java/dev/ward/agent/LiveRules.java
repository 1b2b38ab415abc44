package dev.ward.agent;

import dev.ward.policy.FileTarget;
import dev.ward.policy.PolicySet;

/**
 * What the Guard decides with, swapped as one: the compiled policies, the inode index of the paths they
 * name, and those paths as a set (renaming a directory that holds one is a write to it). Immutable.
 */
record LiveRules(PolicySet set, InodeIndex inodes, PathSet targets) {
    static LiveRules of(PolicySet set, java.io.PrintStream diagnostics) {
        return new LiveRules(set, InodeIndex.build(set.targets(), diagnostics),
                PathSet.of(set.targets().stream().map(FileTarget::path).toList()));
    }
}
