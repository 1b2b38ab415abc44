package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything of Ward that depends on the machine architecture, in one place: the syscall numbers, the seccomp
 * architecture and the foreign ABIs the filter denies, the open flags and {@code struct stat} layout that differ,
 * and the register block a tracer reads with {@code PTRACE_GETREGSET NT_PRSTATUS}. One subclass per architecture
 * ({@link X86_64}, {@link Aarch64}); {@link #CURRENT} is picked once from {@code os.arch}, and no other class asks
 * which architecture it runs on.
 *
 * <p>Syscall numbers: each architecture lists the syscalls of {@link #KNOWN} it has; one it lacks (arm64 has no
 * {@code open}, {@code fork}, {@code rename} ...) is absent, and {@link #nr} answers -1 for it. {@code ArchTest}
 * checks both tables against the kernel headers of both architectures.
 *
 * <p>Registers: accessors take the segment {@link Ptrace#regs()} filled. At a syscall's entry (a seccomp stop or
 * a syscall-entry stop) the arguments are in place; at its exit the return value is, which on arm64 is the first
 * argument's register: a tracer that needs the first argument at the exit keeps it from the entry.
 */
public abstract sealed class Arch permits X86_64, Aarch64 {
    /**
     * The syscalls Ward makes itself or traps in a workload, by kernel name. A name outside this list is a
     * programming error ({@link #nr} throws); one in it that an architecture lacks is absent from its table.
     */
    public static final List<String> KNOWN = List.of(("read close fstat ppoll rt_sigprocmask ioctl pread64 getpid"
            + " connect bind getsockname getpeername getsockopt execve wait4 kill fcntl ptrace getuid capget capset"
            + " prctl gettid openat newfstatat readlinkat signalfd4 process_vm_readv process_vm_writev seccomp"
            + " pidfd_open pidfd_getfd tgkill execveat open openat2 creat open_by_handle_at unlink unlinkat rename"
            + " renameat renameat2 link linkat symlink symlinkat chmod fchmod fchmodat fchmodat2 truncate utime"
            + " utimes futimesat utimensat setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr socket"
            + " listen accept accept4 clone mount umount2 pivot_root chroot setns open_tree move_mount fsopen"
            + " fsmount fspick mount_setattr fanotify_init chown fchown lchown fchownat setuid setgid setreuid"
            + " setregid setgroups setresuid setresgid mknod mknodat unshare sethostname init_module finit_module"
            + " delete_module reboot kexec_load kexec_file_load settimeofday clock_settime adjtimex iopl ioperm bpf"
            + " perf_event_open chdir fchdir io_uring_setup clone3 userfaultfd fork vfork sendto exit_group"
            + " sched_setaffinity sched_getaffinity getrusage").split(" "));
    /** The architecture of this JVM. */
    public static final Arch CURRENT = of(System.getProperty("os.arch"));

    private final Map<String, Integer> syscalls;

    Arch(String table) {
        syscalls = parse(table);
    }

    /** The architecture for a value of {@code os.arch}; any other than x86_64 and aarch64 is refused. */
    public static Arch of(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> X86_64.INSTANCE;
            case "aarch64", "arm64" -> Aarch64.INSTANCE;
            default -> throw new UnsupportedOperationException("Ward runs on x86_64 and aarch64 Linux only; this "
                    + "JVM's os.arch is " + osArch + " (see docs/agent.md, Architectures, to add one)");
        };
    }

    /** Every supported architecture. */
    public static List<Arch> all() {
        return List.of(X86_64.INSTANCE, Aarch64.INSTANCE);
    }

    /** The name the kernel and Debian's multiarch paths use: {@code x86_64} or {@code aarch64}. */
    public abstract String name();

    /** The seccomp_data.arch value of the native 64-bit ABI (AUDIT_ARCH_*). */
    public abstract int auditArch();

    /** The other ABIs a task of this machine can make syscalls through; the filter denies each of them. */
    public abstract int[] foreignAuditArches();

    /** Syscall numbers of the native arch with this bit set belong to another ABI (x32); 0 when there is none. */
    public abstract int foreignNrBit();

    /** The syscall number of {@code name} here, or -1 when this architecture lacks it. */
    public final int nr(String name) {
        Integer nr = syscalls.get(name);
        if (nr == null && !KNOWN.contains(name)) {
            throw new IllegalArgumentException("syscall " + name + " is not in Arch.KNOWN");
        }
        return nr == null ? -1 : nr;
    }

    /** Like {@link #nr}, for a syscall Ward itself makes, which every architecture has. */
    final long required(String name) {
        int nr = nr(name);
        if (nr < 0) {
            throw new IllegalStateException(name() + " has no syscall " + name);
        }
        return nr;
    }

    /** Name to number of every syscall of {@link #KNOWN} this architecture has. */
    public final Map<String, Integer> syscalls() {
        return syscalls;
    }

    /** O_DIRECTORY, whose value differs between architectures. */
    public abstract int oDirectory();

    /** O_NOFOLLOW, whose value differs between architectures. */
    public abstract int oNofollow();

    /** The size of the general registers block ({@code user_regs_struct}, {@code user_pt_regs}). */
    public abstract long regsSize();

    /**
     * The size of the segment {@link Ptrace} keeps the registers in: the block, then 8 bytes where
     * {@link #setSyscallNr} leaves a new syscall number (int) and a flag (int, 1: write it) on architectures that set
     * it apart from the block.
     */
    public final long regsBlockSize() {
        return regsSize() + 8;
    }

    public final long syscallNr(MemorySegment regs) {
        return regs.get(JAVA_LONG, nrOffset());
    }

    public final long arg(MemorySegment regs, int index) {
        return regs.get(JAVA_LONG, argOffsets()[index]);
    }

    public final void setArg(MemorySegment regs, int index, long value) {
        regs.set(JAVA_LONG, argOffsets()[index], value);
    }

    public final long returnValue(MemorySegment regs) {
        return regs.get(JAVA_LONG, returnOffset());
    }

    public final void setReturnValue(MemorySegment regs, long value) {
        regs.set(JAVA_LONG, returnOffset(), value);
    }

    /** A 16-byte aligned address with {@code length} bytes the thread's code does not use, below its stack. */
    public final long belowStack(MemorySegment regs, long length) {
        return (regs.get(JAVA_LONG, spOffset()) - stackReserve() - length) & ~15L;
    }

    /**
     * At a syscall's entry: makes the kernel run syscall {@code nr} instead (-1: none), written by the next
     * {@link Ptrace#setRegs}.
     */
    public abstract void setSyscallNr(MemorySegment regs, long nr);

    /** At a syscall's entry: the call does not run and returns {@code -errno}. */
    public final void skipSyscall(MemorySegment regs, int errno) {
        setSyscallNr(regs, -1);
        setReturnValue(regs, -(long) errno);
    }

    /**
     * At a syscall's exit, with the registers of its entry put back: the thread makes that call again when resumed
     * (its instruction pointer goes back over the syscall instruction).
     */
    public abstract void restartSyscall(MemorySegment regs);

    /** At a syscall's exit: the thread makes syscall {@code nr} with first argument {@code arg0} when resumed. */
    public abstract void callNext(MemorySegment regs, long nr, long arg0);

    /** Whether the stopped thread runs in the native 64-bit ABI (not a 32-bit mode the filter denies). */
    public abstract boolean nativeMode(MemorySegment regs);

    /** This architecture's {@code struct stat}. */
    public abstract Stat stat();

    @Override
    public String toString() {
        return name();
    }

    abstract long nrOffset();

    abstract long[] argOffsets();

    abstract long returnOffset();

    abstract long pcOffset();

    abstract long spOffset();

    /** Bytes below the stack pointer the thread's code may use (the x86_64 red zone). */
    abstract long stackReserve();

    /**
     * The kernel's {@code struct stat} here: its size and the offsets of st_ino (u64), st_mode and st_uid (u32).
     */
    public record Stat(long size, long ino, long mode, long uid) {
    }

    private Map<String, Integer> parse(String table) {
        Map<String, Integer> m = new LinkedHashMap<>();
        String[] words = table.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i += 2) {
            if (!KNOWN.contains(words[i]) || m.put(words[i], Integer.parseInt(words[i + 1])) != null) {
                throw new IllegalStateException(getClass().getSimpleName() + ": syscall " + words[i]
                        + " unknown or listed twice");
            }
        }
        return Map.copyOf(m);
    }
}
