package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A traced process's socket, taken into the agent and worked on there: pidfd_open(2) and pidfd_getfd(2) (Linux
 * 5.6) copy the descriptor, then fcntl, getsockopt, bind, connect, sendto, getsockname, poll and fstat act on
 * the socket both descriptors share. Addresses are raw {@link Sockaddr} bytes.
 *
 * <p>Every call returns its result or {@code -errno}, never throws: the caller decides what a failure means.
 * Threading: one instance per thread; it owns its native buffers; no allocation per call.
 */
public final class Sockets {
    public static final int SOCK_STREAM = 1;
    public static final int SOL_SOCKET = 1;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_DOMAIN = 39;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 04000;
    public static final int POLLOUT = 4;
    public static final int POLLERR = 8;
    public static final int POLLHUP = 16;
    /** sendto's flags for {@link #startConnect}: MSG_DONTWAIT, MSG_NOSIGNAL, MSG_FASTOPEN. */
    private static final int START_CONNECT = 0x40 | 0x4000 | 0x20000000;
    /** {@code struct stat}'s st_ino (u64 @8 on both architectures): a socket's inode, as /proc/PID/fd/N shows it. */
    static final long STAT_INO = Arch.CURRENT.stat().ino();

    private final MemorySegment callState = CallStates.fresh();
    private final MemorySegment address;
    private final MemorySegment word;
    private final MemorySegment stat;

    public Sockets() {
        Arena arena = Arena.ofAuto();
        address = arena.allocate(128, 8);
        word = arena.allocate(24, 8); // a pollfd and a zero timespec, for ppoll
        stat = arena.allocate(ProcFs.STAT_SIZE, 8);
    }

    /** pidfd_open(pid, 0): a descriptor for process {@code pid}, or -errno. */
    public int pidfdOpen(int pid) {
        return (int) Libc.syscall(callState, Libc.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
    }

    /**
     * pidfd_getfd(pidfd, fd, 0): a copy, in this process, of descriptor {@code fd} of the process {@code pidfd}
     * names (close-on-exec set), sharing its open file description; or -errno (ENOSYS before Linux 5.6).
     */
    public int takeFd(int pidfd, int fd) {
        return (int) Libc.syscall(callState, Libc.SYS_PIDFD_GETFD, pidfd, fd, 0, 0, 0, 0);
    }

    /** fcntl(fd, F_GETFL): the file status flags (O_NONBLOCK among them) or -errno. */
    public int statusFlags(int fd) {
        return (int) Libc.syscall(callState, Libc.SYS_FCNTL, fd, F_GETFL, 0, 0, 0, 0);
    }

    /** fcntl(fd, F_SETFL, flags): 0 or -errno. */
    public int setStatusFlags(int fd, int flags) {
        return (int) Libc.syscall(callState, Libc.SYS_FCNTL, fd, F_SETFL, flags, 0, 0, 0);
    }

    /** getsockopt(fd, level, name) of an int option (SO_TYPE, SO_ERROR, IPV6_V6ONLY...): its value, or -errno. */
    public int intOption(int fd, int level, int name) {
        word.set(JAVA_INT, 0, 0);
        word.set(JAVA_INT, 4, 4);
        long r = Libc.syscall(callState, Libc.SYS_GETSOCKOPT, fd, level, name, word.address(), word.address() + 4, 0);
        return r < 0 ? (int) r : word.get(JAVA_INT, 0);
    }

    /** bind(fd, sockaddr[0..length)): 0 or -errno. */
    public int bind(int fd, byte[] sockaddr, int length) {
        MemorySegment.copy(sockaddr, 0, address, JAVA_BYTE, 0, length);
        return (int) Libc.syscall(callState, Libc.SYS_BIND, fd, address.address(), length, 0, 0, 0);
    }

    /** connect(fd, sockaddr[0..length)): 0 or -errno (-EINPROGRESS on a non-blocking socket). */
    public int connect(int fd, byte[] sockaddr, int length) {
        MemorySegment.copy(sockaddr, 0, address, JAVA_BYTE, 0, length);
        return (int) Libc.syscall(callState, Libc.SYS_CONNECT, fd, address.address(), length, 0, 0, 0);
    }

    /**
     * Starts connecting TCP socket {@code fd} to sockaddr[0..length) without waiting, whatever its O_NONBLOCK:
     * sendto(fd, no data, MSG_FASTOPEN | MSG_DONTWAIT | MSG_NOSIGNAL, sockaddr), which connects as a non-blocking
     * connect does (its SYN asks for a Fast Open cookie, and carries data only with a cookie the kernel holds for
     * that address). 0 or -errno: -EINPROGRESS once the SYN is sent, as connect's; -EOPNOTSUPP, with nothing done,
     * where the kernel's Fast Open is off for clients (net.ipv4.tcp_fastopen without bit 1).
     */
    public int startConnect(int fd, byte[] sockaddr, int length) {
        MemorySegment.copy(sockaddr, 0, address, JAVA_BYTE, 0, length);
        return (int) Libc.syscall(callState, Libc.SYS_SENDTO, fd, 0, 0, START_CONNECT, address.address(), length);
    }

    /** getsockname(fd) into {@code out}: the length of the sockaddr, or -errno. */
    public int localAddress(int fd, byte[] out) {
        return address(Libc.SYS_GETSOCKNAME, fd, out);
    }

    /** getpeername(fd) into {@code out}: the length of the sockaddr, or -errno (ENOTCONN when not connected). */
    public int peerAddress(int fd, byte[] out) {
        return address(Libc.SYS_GETPEERNAME, fd, out);
    }

    /**
     * ppoll(fd, POLLOUT, 0 s): the events now pending on {@code fd} (POLLOUT, POLLERR, POLLHUP), 0, or -errno. ppoll,
     * not poll: aarch64 has only the former.
     */
    public int pollOut(int fd) {
        word.set(JAVA_INT, 0, fd);
        word.set(JAVA_SHORT, 4, (short) POLLOUT);
        word.set(JAVA_SHORT, 6, (short) 0);
        word.set(JAVA_LONG, 8, 0);
        word.set(JAVA_LONG, 16, 0);
        long r = Libc.syscall(callState, Libc.SYS_PPOLL, word.address(), 1, word.address() + 8, 0, 0, 0);
        return r < 0 ? (int) r : word.get(JAVA_SHORT, 6);
    }

    /** fstat(fd)'s inode number (for a socket: the INO of "socket:[INO]"), or -errno. */
    public long inode(int fd) {
        long r = Libc.syscall(callState, Libc.SYS_FSTAT, fd, stat.address(), 0, 0, 0, 0);
        return r < 0 ? r : stat.get(JAVA_LONG, STAT_INO);
    }

    /** close(fd). */
    public void close(int fd) {
        Libc.syscall(callState, Libc.SYS_CLOSE, fd, 0, 0, 0, 0, 0);
    }

    private int address(long call, int fd, byte[] out) {
        word.set(JAVA_INT, 0, (int) Math.min(out.length, address.byteSize()));
        long r = Libc.syscall(callState, call, fd, address.address(), word.address(), 0, 0, 0);
        if (r < 0) {
            return (int) r;
        }
        int n = Math.min(word.get(JAVA_INT, 0), out.length);
        MemorySegment.copy(address, JAVA_BYTE, 0, out, 0, n);
        return n;
    }
}
