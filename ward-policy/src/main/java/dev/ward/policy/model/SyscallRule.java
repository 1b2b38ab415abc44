package dev.ward.policy.model;

import java.util.List;

/**
 * One {@code syscalls.matchSyscalls} or {@code syscalls.matchPaths} entry. Always audit-only, as in KubeArmor:
 * {@code effect().action()} is Audit whatever the YAML said.
 *
 * @param syscalls  names as in the policy ("unlink")
 * @param path      null for matchSyscalls; else the path the syscall acts on, a directory when it ends in "/"
 * @param recursive for a directory path: also below it
 */
public record SyscallRule(List<String> syscalls, String path, boolean recursive, List<Source> fromSource,
        Effect effect, String where, Position position) {
    public SyscallRule {
        syscalls = List.copyOf(syscalls);
        fromSource = List.copyOf(fromSource);
    }
}
