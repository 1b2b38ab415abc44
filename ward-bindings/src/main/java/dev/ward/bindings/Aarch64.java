package dev.ward.bindings;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * aarch64 (arm64): syscall numbers of the generic table ({@code asm-generic/unistd.h}, which has only the
 * {@code *at} and {@code clone} forms: no open, stat, fork, rename ...); registers as {@code struct user_pt_regs}
 * (x0..x30, sp, pc, pstate: 272 bytes). At a syscall's entry x8 holds its number and x0..x5 the arguments; at
 * its exit x0 holds the result, so the first argument is gone there.
 *
 * <p>The number the kernel runs is not x8 but a field of its own, which only the {@code NT_ARM_SYSTEM_CALL}
 * register set changes: {@link #setSyscallNr} keeps it in the slot after the block ({@link Arch#regsBlockSize}),
 * and {@link Ptrace#setRegs} writes it (-1 skips the call, returning x0 as the tracer set it). At syscall-entry and
 * -exit stops the kernel shows x7 as 0 or 1 and puts its own value back afterwards, ignoring what a tracer writes
 * there.
 *
 * <p>Foreign ABI: 32-bit arm (AUDIT_ARCH_ARM), which a kernel with CONFIG_COMPAT runs on cores that have AArch32.
 */
final class Aarch64 extends Arch {
    static final Aarch64 INSTANCE = new Aarch64();

    static final long SIZE = 272;
    static final long X0 = 0;
    static final long X8 = 64;
    static final long SP = 248;
    static final long PC = 256;
    static final long PSTATE = 264;

    /** AUDIT_ARCH_AARCH64 = EM_AARCH64 (183) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    private static final int AUDIT_ARCH_AARCH64 = 0xC00000B7;
    /** AUDIT_ARCH_ARM = EM_ARM (40) | __AUDIT_ARCH_LE. */
    private static final int AUDIT_ARCH_ARM = 0x40000028;
    /** PSR_MODE32_BIT: the thread runs AArch32 code. */
    private static final long PSR_MODE32 = 0x10;
    /** {@code svc #0} is 4 bytes long. */
    private static final long SVC_INSN = 4;
    /**
     * The AAPCS64 has no red zone; a margin below the stack pointer is kept all the same, so that code that does
     * use one (hand-written assembly) keeps its data.
     */
    private static final long STACK_MARGIN = 128;
    private static final long[] ARGS = {0, 8, 16, 24, 32, 40};
    private static final Stat STAT = new Stat(128, 8, 16, 24);

    private Aarch64() {
        super("""
                read 63  close 57  fstat 80  ppoll 73  rt_sigprocmask 135  ioctl 29  pread64 67  getpid 172
                connect 203  bind 200  getsockname 204  getpeername 205  getsockopt 209  execve 221  wait4 260
                kill 129  fcntl 25  ptrace 117  getuid 174  capget 90  capset 91  prctl 167  gettid 178  openat 56
                newfstatat 79  readlinkat 78  signalfd4 74  process_vm_readv 270  process_vm_writev 271
                seccomp 277  pidfd_open 434  pidfd_getfd 438  tgkill 131  exit_group 94  execveat 281  openat2 437
                open_by_handle_at 265  unlinkat 35  renameat 38  renameat2 276  linkat 37  symlinkat 36  fchmod 52
                fchmodat 53  fchmodat2 452  truncate 45  utimensat 88  setxattr 5  lsetxattr 6  fsetxattr 7
                removexattr 14  lremovexattr 15  fremovexattr 16  socket 198  listen 201  accept 202  accept4 242
                clone 220  mount 40  umount2 39  pivot_root 41  chroot 51  setns 268  open_tree 428
                move_mount 429  fsopen 430  fsmount 432  fspick 433  mount_setattr 442  fanotify_init 262
                fchown 55  fchownat 54  setuid 146  setgid 144  setreuid 145  setregid 143  setgroups 159
                setresuid 147  setresgid 149  mknodat 33  unshare 97  sethostname 161  init_module 105
                finit_module 273  delete_module 106  reboot 142  kexec_load 104  kexec_file_load 294
                settimeofday 170  clock_settime 112  adjtimex 171  bpf 280  perf_event_open 241  chdir 49  fchdir 50
                io_uring_setup 425  clone3 435  userfaultfd 282  sendto 206  sched_setaffinity 122
                sched_getaffinity 123  getrusage 165
                """);
    }

    @Override
    public String name() {
        return "aarch64";
    }

    @Override
    public int auditArch() {
        return AUDIT_ARCH_AARCH64;
    }

    @Override
    public int[] foreignAuditArches() {
        return new int[] {AUDIT_ARCH_ARM};
    }

    @Override
    public int foreignNrBit() {
        return 0;
    }

    @Override
    public int oDirectory() {
        return 040000;
    }

    @Override
    public int oNofollow() {
        return 0100000;
    }

    @Override
    public long regsSize() {
        return SIZE;
    }

    @Override
    public void setSyscallNr(MemorySegment regs, long nr) {
        regs.set(JAVA_INT, SIZE, (int) nr);
        regs.set(JAVA_INT, SIZE + 4, 1);
    }

    /** x8 and x0 of the entry are the call's number and first argument again: only pc goes back. */
    @Override
    public void restartSyscall(MemorySegment regs) {
        regs.set(JAVA_LONG, PC, regs.get(JAVA_LONG, PC) - SVC_INSN);
    }

    @Override
    public void callNext(MemorySegment regs, long nr, long arg0) {
        regs.set(JAVA_LONG, X8, nr);
        regs.set(JAVA_LONG, X0, arg0);
        regs.set(JAVA_LONG, PC, regs.get(JAVA_LONG, PC) - SVC_INSN);
    }

    @Override
    public boolean nativeMode(MemorySegment regs) {
        return (regs.get(JAVA_LONG, PSTATE) & PSR_MODE32) == 0;
    }

    @Override
    public Stat stat() {
        return STAT;
    }

    @Override
    long nrOffset() {
        return X8;
    }

    @Override
    long[] argOffsets() {
        return ARGS;
    }

    @Override
    long returnOffset() {
        return X0;
    }

    @Override
    long pcOffset() {
        return PC;
    }

    @Override
    long spOffset() {
        return SP;
    }

    @Override
    long stackReserve() {
        return STACK_MARGIN;
    }
}
