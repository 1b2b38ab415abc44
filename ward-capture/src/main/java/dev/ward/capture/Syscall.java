package dev.ward.capture;

/**
 * One row of the syscall table: a trapped syscall and how to read its arguments. The seccomp trap list
 * is derived from these rows ({@link SyscallTable#trapped()}), so trapping and decoding cannot drift.
 *
 * @param nr        syscall number on this machine's architecture
 * @param name      kernel name, as reported in {@code Data: syscall=SYS_...}
 * @param family    what it does
 * @param dirfdArg  argument index of a directory fd that relative paths resolve against, or -1 (cwd)
 * @param pathArg   argument index of the first path, or -1
 * @param dirfd2Arg argument index of the second directory fd, or -1
 * @param path2Arg  argument index of the second path (rename, link target, symlink's link name), or -1
 * @param flagsArg  argument index of open-style flags, or -1
 */
public record Syscall(int nr, String name, Family family, int dirfdArg, int pathArg, int dirfd2Arg, int path2Arg,
                      int flagsArg) {
    /** The name as KubeArmor prints it in the Data field, e.g. {@code SYS_OPENAT}. */
    public String kubeArmorName() {
        return "SYS_" + name.toUpperCase(java.util.Locale.ROOT);
    }
}
