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
    /** ptrace, process_vm_writev: ways to take over another process, the agent included. */
    TAKEOVER,
    /** chown, setuid, mount, chroot ...: operations that need a capability (capabilities and syscalls rules). */
    PRIVILEGED
}
