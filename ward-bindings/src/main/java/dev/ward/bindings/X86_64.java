package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * x86_64: syscall numbers of {@code asm/unistd_64.h}; registers as {@code struct user_regs_struct}
 * ({@code arch/x86/include/asm/user_64.h}: 27 unsigned longs, 216 bytes). At a syscall's entry {@code orig_rax}
 * holds its number and rdi, rsi, rdx, r10, r8, r9 the six arguments; at its exit {@code rax} holds the result.
 * Setting {@code orig_rax} to -1 at the entry skips the call, leaving {@code rax} as the tracer set it.
 *
 * <p>Foreign ABIs: the i386 one (AUDIT_ARCH_I386, int $0x80, also open to a 64-bit process) and x32 (the native
 * arch with bit 30 of the number set).
 */
final class X86_64 extends Arch {
    static final X86_64 INSTANCE = new X86_64();

    static final long SIZE = 216;
    static final long R10 = 56;
    static final long R9 = 64;
    static final long R8 = 72;
    static final long RAX = 80;
    static final long RDX = 96;
    static final long RSI = 104;
    static final long RDI = 112;
    static final long ORIG_RAX = 120;
    static final long RIP = 128;
    static final long CS = 136;
    static final long RSP = 152;

    /** AUDIT_ARCH_X86_64 = EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    /** AUDIT_ARCH_I386 = EM_386 (3) | __AUDIT_ARCH_LE. */
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int X32_SYSCALL_BIT = 0x40000000;
    /** The code segment selector of 64-bit user mode (__USER_CS). */
    private static final long USER_CS_64 = 0x33;
    /** {@code syscall} and {@code int $0x80} are both 2 bytes long. */
    private static final long SYSCALL_INSN = 2;
    /** The System V ABI's red zone below the stack pointer, which leaf code may use. */
    private static final long RED_ZONE = 128;
    private static final long[] ARGS = {RDI, RSI, RDX, R10, R8, R9};
    private static final Stat STAT = new Stat(144, 8, 24, 28);

    private X86_64() {
        super("""
                read 0  close 3  fstat 5  ppoll 271  rt_sigprocmask 14  ioctl 16  pread64 17  getpid 39  connect 42
                bind 49  getsockname 51  getpeername 52  getsockopt 55  execve 59  wait4 61  kill 62  fcntl 72
                ptrace 101  getuid 102  capget 125  capset 126  prctl 157  gettid 186  openat 257  newfstatat 262
                readlinkat 267  signalfd4 289  process_vm_readv 310  process_vm_writev 311  seccomp 317
                pidfd_open 434  pidfd_getfd 438  tgkill 234  exit_group 231  execveat 322  open 2  openat2 437  creat 85
                open_by_handle_at 304  unlink 87  unlinkat 263  rename 82  renameat 264  renameat2 316  link 86
                linkat 265  symlink 88  symlinkat 266  chmod 90  fchmod 91  fchmodat 268  fchmodat2 452  truncate 76
                utime 132  utimes 235  futimesat 261  utimensat 280  setxattr 188  lsetxattr 189  fsetxattr 190
                removexattr 197  lremovexattr 198  fremovexattr 199  socket 41  listen 50  accept 43  accept4 288
                clone 56  mount 165  umount2 166  pivot_root 155  chroot 161  setns 308  open_tree 428
                move_mount 429  fsopen 430  fsmount 432  fspick 433  mount_setattr 442  fanotify_init 300  chown 92
                fchown 93  lchown 94  fchownat 260  setuid 105  setgid 106  setreuid 113  setregid 114
                setgroups 116  setresuid 117  setresgid 119  mknod 133  mknodat 259  unshare 272  sethostname 170
                init_module 175  finit_module 313  delete_module 176  reboot 169  kexec_load 246
                kexec_file_load 320  settimeofday 164  clock_settime 227  adjtimex 159  iopl 172  ioperm 173
                bpf 321  perf_event_open 298  chdir 80  fchdir 81  io_uring_setup 425  clone3 435  userfaultfd 323
                fork 57  vfork 58  sendto 44  sched_setaffinity 203  sched_getaffinity 204
                getrusage 98
                """);
    }

    @Override
    public String name() {
        return "x86_64";
    }

    @Override
    public int auditArch() {
        return AUDIT_ARCH_X86_64;
    }

    @Override
    public int[] foreignAuditArches() {
        return new int[] {AUDIT_ARCH_I386};
    }

    @Override
    public int foreignNrBit() {
        return X32_SYSCALL_BIT;
    }

    @Override
    public int oDirectory() {
        return 0200000;
    }

    @Override
    public int oNofollow() {
        return 0400000;
    }

    @Override
    public long regsSize() {
        return SIZE;
    }

    @Override
    public void setSyscallNr(MemorySegment regs, long nr) {
        regs.set(JAVA_LONG, ORIG_RAX, nr);
    }

    /** The call's number goes back into rax, where the syscall instruction takes it from. */
    @Override
    public void restartSyscall(MemorySegment regs) {
        regs.set(JAVA_LONG, RAX, regs.get(JAVA_LONG, ORIG_RAX));
        regs.set(JAVA_LONG, RIP, regs.get(JAVA_LONG, RIP) - SYSCALL_INSN);
    }

    @Override
    public void callNext(MemorySegment regs, long nr, long arg0) {
        regs.set(JAVA_LONG, RAX, nr);
        regs.set(JAVA_LONG, RDI, arg0);
        regs.set(JAVA_LONG, RIP, regs.get(JAVA_LONG, RIP) - SYSCALL_INSN);
    }

    @Override
    public boolean nativeMode(MemorySegment regs) {
        return regs.get(JAVA_LONG, CS) == USER_CS_64;
    }

    @Override
    public Stat stat() {
        return STAT;
    }

    @Override
    long nrOffset() {
        return ORIG_RAX;
    }

    @Override
    long[] argOffsets() {
        return ARGS;
    }

    @Override
    long returnOffset() {
        return RAX;
    }

    @Override
    long pcOffset() {
        return RIP;
    }

    @Override
    long spOffset() {
        return RSP;
    }

    @Override
    long stackReserve() {
        return RED_ZONE;
    }
}
