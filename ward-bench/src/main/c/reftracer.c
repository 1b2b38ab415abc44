/*
 * reftracer: the floor of the tracer-overhead benchmark (run.sh).
 *
 * Question: what does seccomp RET_TRACE + ptrace cost on this kernel when the tracer does the least
 * any enforcing tracer must do? Ward's extra time over native, divided by this tracer's, says how much
 * of Ward's overhead is Ward (Java, decoding, policy) and how much is the kernel's stop/resume.
 *
 * What it does, and nothing more:
 *   - forks CMD with no_new_privs and a seccomp filter shaped like Ward's trap filter (ward-capture
 *     Filters.main): arch must be x86_64 and the number must not carry the x32 bit, else EACCES;
 *     io_uring_setup -> EACCES; the 27 trapped syscalls -> RET_TRACE, in the same order; else ALLOW.
 *   - PTRACE_SEIZEs it with TRACESECCOMP|TRACEFORK|TRACEVFORK|TRACECLONE|TRACEEXEC|EXITKILL, so the
 *     whole process tree is followed.
 *   - answers every seccomp stop with PTRACE_GETREGS + PTRACE_CONT (no decoding, no memory reads),
 *     every other ptrace event with PTRACE_CONT, keeps group stops with PTRACE_LISTEN and passes
 *     every signal-delivery stop on with its signal.
 *   - exits with CMD's exit status (128+N if signal N killed it), once every traced process is gone.
 *
 * With --no-trace it installs the same filter with ALLOW in place of RET_TRACE and execs CMD itself,
 * untraced: what the seccomp filter alone costs, the floor for untrapped syscalls. With --allow-all it
 * installs a one-instruction filter that allows everything: what having any seccomp filter at all
 * costs (the kernel then takes its slower syscall entry path), the floor of every seccomp-based tool.
 *
 * Ward differs in ways that cost it a little more and are part of what is measured: it installs a
 * second, one-syscall gate filter, starts the child with posix_spawn, and reads each path argument.
 *
 * Two options make it stop as Ward stops when it decides opens (nginx.sh's ref rows), still with no decision:
 *   --paths  reads the path argument of every stopped open (process_vm_readv), as any tracer that decides
 *            by path must;
 *   --exit   resumes every stopped open with PTRACE_SYSCALL and answers its exit stop with PTRACE_GETREGS +
 *            PTRACE_CONT: the second stop Ward makes to check the descriptor an open returned.
 *
 * Usage: reftracer [--no-trace | --allow-all | [--paths] [--exit]] CMD [ARGS...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000
#define NR_OPEN 2
#define NR_OPENAT 257
#define NR_OPENAT2 437

static int g_paths, g_exit;
#define NR_IO_URING_SETUP 425

/* Same syscalls, same order as ward-capture's SyscallTable. */
static const int TRAPPED[] = {
    59 /* execve */, 322 /* execveat */, 2 /* open */, 257 /* openat */, 437 /* openat2 */,
    85 /* creat */, 87 /* unlink */, 263 /* unlinkat */, 82 /* rename */, 264 /* renameat */,
    316 /* renameat2 */, 86 /* link */, 265 /* linkat */, 88 /* symlink */, 266 /* symlinkat */,
    90 /* chmod */, 91 /* fchmod */, 268 /* fchmodat */, 452 /* fchmodat2 */, 41 /* socket */,
    42 /* connect */, 49 /* bind */, 50 /* listen */, 43 /* accept */, 288 /* accept4 */,
    101 /* ptrace */, 311 /* process_vm_writev */,
};
#define N_TRAPPED ((int) (sizeof TRAPPED / sizeof TRAPPED[0]))

/* Instruction count: 4 header (arch, nr, x32) + 1 io_uring + N_TRAPPED + 3 returns. */
#define PROG_LEN (8 + N_TRAPPED)

static void die(const char *what) {
    fprintf(stderr, "reftracer: %s: %s\n", what, strerror(errno));
    exit(1);
}

/*
 * Builds the program. Jump offsets count instructions after the jump; the three return
 * instructions sit at the end as ALLOW, TRACE, DENY.
 */
static void build_filter(struct sock_filter *p, unsigned trap_action) {
    const int allow = PROG_LEN - 3, trace = PROG_LEN - 2, deny = PROG_LEN - 1;
    int i = 0;
    p[i] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)); i++;
    p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, deny - i - 1); i++;
    p[i] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)); i++;
    p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, deny - i - 1, 0); i++;
    p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_IO_URING_SETUP, deny - i - 1, 0); i++;
    for (int t = 0; t < N_TRAPPED; t++, i++) {
        p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAPPED[t], trace - i - 1, 0);
    }
    /*
     * Every slot must be written: an instruction the kernel's seccomp action cache cannot emulate
     * (it only knows loads of nr and arch, constant jumps and returns) turns the cache off, and then
     * the filter runs on every syscall, trapped or not.
     */
    if (i != allow) {
        fprintf(stderr, "reftracer: filter layout is wrong (%d != %d)\n", i, allow);
        exit(1);
    }
    p[allow] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    p[trace] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, trap_action);
    p[deny] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES);
}

/*
 * Installs the filter and execs argv. When traced, stops first until the parent has seized us, so
 * that the first trapped syscall is the execve. Never returns.
 */
static void filter_and_exec(char **argv, int traced) {
    struct sock_filter prog[PROG_LEN];
    build_filter(prog, traced ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW);
    struct sock_fprog fprog = {.len = PROG_LEN, .filter = prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die("prctl(PR_SET_NO_NEW_PRIVS)");
    }
    if (traced) {
        raise(SIGSTOP);
    }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
        die("seccomp(SECCOMP_SET_MODE_FILTER)");
    }
    execvp(argv[0], argv);
    fprintf(stderr, "reftracer: %s: %s\n", argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

static int is_stop_signal(int sig) {
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Resumes a stopped tracee, as little work as possible. See the file comment. */
static void answer(pid_t pid, int status) {
    int sig = WSTOPSIG(status);
    int event = (unsigned) status >> 16;
    long rc;
    if (event == PTRACE_EVENT_SECCOMP) {
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        long nr = (long) regs.orig_rax;
        int open = nr == NR_OPEN || nr == NR_OPENAT || nr == NR_OPENAT2;
        if (open && g_paths) {
            char path[256];
            struct iovec local = {path, sizeof path};
            struct iovec remote = {(void *) (nr == NR_OPEN ? regs.rdi : regs.rsi), sizeof path};
            process_vm_readv(pid, &local, 1, &remote, 1, 0);
        }
        rc = open && g_exit ? ptrace(PTRACE_SYSCALL, pid, 0, 0) : ptrace(PTRACE_CONT, pid, 0, 0);
    } else if (event == 0 && sig == (SIGTRAP | 0x80)) {
        struct user_regs_struct regs; /* an open's exit stop (--exit) */
        ptrace(PTRACE_GETREGS, pid, 0, &regs);
        rc = ptrace(PTRACE_CONT, pid, 0, 0);
    } else if (event == PTRACE_EVENT_STOP) {
        /* Group stop: keep the tracee stopped until SIGCONT; otherwise a new child's first stop. */
        rc = is_stop_signal(sig) ? ptrace(PTRACE_LISTEN, pid, 0, 0) : ptrace(PTRACE_CONT, pid, 0, 0);
    } else if (event != 0) {
        rc = ptrace(PTRACE_CONT, pid, 0, 0); /* fork, vfork, clone, exec */
    } else {
        rc = ptrace(PTRACE_CONT, pid, 0, sig); /* signal-delivery stop: pass the signal on */
    }
    if (rc != 0 && errno != ESRCH) {
        die("ptrace(resume)");
    }
}

/* --allow-all: one instruction, RET_ALLOW, then exec. Never returns. */
static void allow_all_and_exec(char **argv) {
    struct sock_filter prog[1] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog fprog = {.len = 1, .filter = prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        die("prctl(PR_SET_NO_NEW_PRIVS)");
    }
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) != 0) {
        die("seccomp(SECCOMP_SET_MODE_FILTER)");
    }
    execvp(argv[0], argv);
    fprintf(stderr, "reftracer: %s: %s\n", argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

int main(int argc, char **argv) {
    while (argc >= 2 && (strcmp(argv[1], "--paths") == 0 || strcmp(argv[1], "--exit") == 0)) {
        if (argv[1][2] == 'p') g_paths = 1; else g_exit = 1;
        argv++;
        argc--;
    }
    int no_trace = argc >= 2 && strcmp(argv[1], "--no-trace") == 0;
    int allow_all = argc >= 2 && strcmp(argv[1], "--allow-all") == 0;
    if (argc < 2 + no_trace + allow_all) {
        fprintf(stderr, "usage: reftracer [--no-trace | --allow-all | [--paths] [--exit]] CMD [ARGS...]\n");
        return 2;
    }
    if (allow_all) {
        allow_all_and_exec(argv + 2);
    }
    if (no_trace) {
        filter_and_exec(argv + 2, 0);
    }
    pid_t main_pid = fork();
    if (main_pid < 0) {
        die("fork");
    }
    if (main_pid == 0) {
        filter_and_exec(argv + 1, 1);
    }
    int status;
    if (waitpid(main_pid, &status, WSTOPPED) < 0 || !WIFSTOPPED(status)) {
        die("waitpid(child stop)");
    }
    long options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE
            | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SEIZE, main_pid, 0, options) != 0) {
        die("ptrace(PTRACE_SEIZE)");
    }
    kill(main_pid, SIGCONT);

    int exit_code = 1;
    for (;;) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == ECHILD) {
                break;
            }
            die("waitpid");
        }
        if (WIFSTOPPED(status)) {
            answer(pid, status);
        } else if (pid == main_pid) {
            exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
    return exit_code;
}
