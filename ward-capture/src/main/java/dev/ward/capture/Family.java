package dev.ward.capture;

/** What a trapped syscall does, which decides how it is decoded and which policy rules apply. */
public enum Family {
    /** execve, execveat: the process operation. */
    EXEC,
    /** open, openat, openat2, creat: the file operation (read or write by flags). */
    OPEN,
    /** unlink, rename, link, symlink, chmod ...: file operations that always modify. */
    FILE_MODIFY,
    /** socket, connect, bind, listen, accept, accept4: the network operation. */
    NETWORK,
    /**
     * ptrace, process_vm_readv/writev, pidfd_getfd, seccomp: ways to take over or look into another process
     * (the agent included) or to leave the tracer. Always trapped, whatever --trap says.
     */
    TAKEOVER,
    /**
     * mount, open_tree, move_mount, fsmount, chroot, pivot_root, setns, fanotify_init ...: calls that give a
     * file another path (or reach files without one). Always trapped: while file or process rules are in
     * force they are refused, since every decision is about a path and these would change what it names.
     */
    MOUNT,
    /** chown, setuid, mount, chroot ...: operations that need a capability (capabilities and syscalls rules). */
    PRIVILEGED,
    /**
     * getpeername, and connect and bind whatever the network operation says: what the mesh's transparent capture
     * ({@link ConnectRedirector}) works on. Trapped only while the capture is on; no policy decides on them.
     */
    MESH,
    /**
     * accept and accept4 whatever the network operation says: trapped only while strict inbound is on
     * ({@link ConnectRedirector#strictInbound}), to show the workload the real client of the mesh's deliveries.
     */
    MESH_INBOUND,
    /**
     * chdir and fchdir (no rows of the table), and setuid, setreuid and setresuid whatever the capabilities
     * operation says: the calls that change a report's Cwd and UID ({@link SyscallTable#changesCwdOrUid}). Trapped
     * while the logs are on, so that the tracer keeps both per thread and process ({@link ProcessFacts}) instead of
     * reading /proc at every report; no policy decides on them.
     */
    CWD_UID
}
